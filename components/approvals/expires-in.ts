import { formatDuration } from "@/lib/monitor/pending-for";

/** "in 29 d 23 h" until a request's expirationDateTime (Graph's), "passed" after; never a date computed here. */
export function expiresIn(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  return Number.isFinite(ms) && ms > 0 ? `in ${formatDuration(ms)}` : "passed";
}
