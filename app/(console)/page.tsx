import Link from "next/link";
import { Laptop, MonitorSmartphone } from "lucide-react";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { HomeToday } from "@/components/home/home-today";

export const metadata = { title: "Home" };

export default function HomePage() {
  return (
    <>
      <PageHeader title="Home" crumbs={[{ label: "Home" }]} />
      <div className="mb-6">
        <HomeToday />
      </div>
      <div className="max-w-3xl space-y-4">
        <p>
          Take Windows devices back to a business-ready state with <strong>Windows Autopilot Reset</strong>, and nudge them
          with <strong>Sync</strong> so the reset starts sooner. The console explains, before you click, why a device cannot
          be reset, and follows each reset until it is done.
        </p>
        <ul className="grid gap-3 sm:grid-cols-2">
          <li>
            <Link href="/devices" className="flex h-full items-start gap-3 rounded border border-line bg-surface p-4 hover:bg-surface-alt">
              <MonitorSmartphone aria-hidden="true" className="mt-0.5 size-5 text-brand-text" />
              <span>
                <span className="block font-semibold text-brand-text">Devices</span>
                <span className="text-sm text-muted">Devices in your tenant, by platform.</span>
              </span>
            </Link>
          </li>
          <li>
            <Link href="/devices/windows" className="flex h-full items-start gap-3 rounded border border-line bg-surface p-4 hover:bg-surface-alt">
              <Laptop aria-hidden="true" className="mt-0.5 size-5 text-brand-text" />
              <span>
                <span className="block font-semibold text-brand-text">Windows devices</span>
                <span className="text-sm text-muted">Find a device by name, user or serial number, then reset or sync it.</span>
              </span>
            </Link>
          </li>
        </ul>
      </div>
    </>
  );
}
