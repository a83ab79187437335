/** A time on Graph's clock (ms), in the reader's words: shown, never compared with the browser's clock. */
export function formatGraphTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
