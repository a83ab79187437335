"use client";

import Link from "next/link";
import { toActionError } from "@/lib/queries/action-failure";
import { usePlatformCounts } from "@/lib/queries/devices";
import { ErrorMessage } from "@/components/ui/error-message";

/** Devices | Overview: counts by platform; Windows leads to the grid (the only platform this console acts on). */
export function PlatformOverview() {
  const counts = usePlatformCounts();
  if (counts.error) return <ErrorMessage error={toActionError(counts.error)} onRetry={() => void counts.refetch()} />;
  if (!counts.data) {
    return (
      <p role="status" className="text-muted">
        Loading device counts…
      </p>
    );
  }
  const total = counts.data.reduce((sum, row) => sum + row.count, 0);
  return (
    <section aria-labelledby="by-platform" className="max-w-xl rounded border border-line bg-surface p-4">
      <h2 id="by-platform" className="mb-1 text-base font-semibold">
        By platform
      </h2>
      <p className="mb-3 text-sm text-muted">{total.toLocaleString("en")} devices enrolled in Intune.</p>
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-line text-left">
            <th scope="col" className="py-2 font-semibold">
              Platform
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              Devices
            </th>
          </tr>
        </thead>
        <tbody>
          {counts.data.map((row) => (
            <tr key={row.platform} className="border-b border-line last:border-0">
              <td className="py-2">
                {row.platform.toLowerCase() === "windows" ? (
                  <Link href="/devices/windows" className="text-brand-text hover:underline">
                    {row.platform}
                  </Link>
                ) : (
                  row.platform
                )}
              </td>
              <td className="py-2 text-right tabular-nums">{row.count.toLocaleString("en")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
