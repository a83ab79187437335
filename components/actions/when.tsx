import { formatDateTime, formatWhen } from "@/lib/devices/format";

/** A moment as the console writes it everywhere (lib/devices/format.ts), with `now`: "3 hours ago (2 Dec 2026, 01:04)". */
export function When({ iso, now, empty = "Never" }: { iso: string | null | undefined; now?: Date; empty?: string }) {
  if (!iso) return <>{empty}</>;
  return <time dateTime={iso}>{now ? formatWhen(iso, now) : formatDateTime(iso)}</time>;
}
