/**
 * The server's one clock (docs/safety.md, "Which clock decides"). Only lock lifetimes and store housekeeping read it:
 * whether an earlier write could still land at Graph is decided on Graph's own clock (the Date header of its answers,
 * lib/graph/client.ts GraphClock), which the emulator's clock moves in tests.
 */
export function serverNow(): number {
  return Date.now();
}
