import { describe, expect, it } from "vitest";
import { estimateRun, estimateSentence, failuresInARow, nextTryAt, readAttempt, sendAttempt, type EstimateInput } from "./estimate";
import { createPacer, INTUNE_WRITE_LIMIT, pauseFor, recordSends } from "./pacer";
import { SEND_TICKET_LIFETIME_MS, WRITE_LANDING_MARGIN_MS } from "./send-window";

const NOW = Date.UTC(2026, 11, 7, 14, 1, 45);
const queued = (n: number, notBefore?: number) => Array.from({ length: n }, () => ({ status: "queued" as const, ...(notBefore ? { notBefore } : {}) }));
const input = (over: Partial<EstimateInput>): EstimateInput => ({
  now: NOW,
  devices: [],
  pacer: createPacer(NOW),
  recent: [],
  msWithoutAnswer: 0,
  ...over,
});
const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19);

describe("estimateRun", () => {
  it("says nothing when no device is left", () => {
    expect(estimateRun(input({ devices: [{ status: "initiated" }, { status: "failed" }] }))).toEqual({ kind: "none" });
  });

  it("a run that fits one fresh window is a round trip", () => {
    expect(estimateRun(input({ devices: queued(150) }))).toEqual({ kind: "left", seconds: 2 });
  });

  it("counts the write windows the pacer really keeps: 450 devices are three windows, two window-lengths apart", () => {
    const { seconds } = estimateRun(input({ devices: queued(450) })) as { seconds: number };
    const windowS = (INTUNE_WRITE_LIMIT.windowMs + INTUNE_WRITE_LIMIT.windowMarginMs) / 1000;
    expect(seconds).toBe(Math.ceil(2 * windowS + 2));
  });

  it("starts counting when the pacer lets the next window out, not now", () => {
    // A full window was sent 5 s ago: the next device waits for it to age out.
    const pacer = recordSends(createPacer(NOW - 5_000), 200, NOW - 5_000);
    const { seconds } = estimateRun(input({ devices: queued(1), pacer })) as { seconds: number };
    expect(seconds).toBeGreaterThanOrEqual(15);
    expect(seconds).toBeLessThanOrEqual(18);
  });

  it("one device whose backoff is a minute away is not '2 s left'", () => {
    const est = estimateRun(input({ devices: queued(1, NOW + 60_000) }));
    expect(est).toEqual({ kind: "left", seconds: 62 });
  });

  it("an unclear device counts the wait its latest read gave until a read is final", () => {
    const est = estimateRun(input({ devices: [{ status: "unclear", notBefore: NOW + 30_000, issuedAt: 1, finalReadAt: NOW + 185_000 }] }));
    expect(est).toEqual({ kind: "left", seconds: 187 });
  });

  it("an unclear device not read yet counts the whole landing margin of its ticket", () => {
    const est = estimateRun(input({ devices: [{ status: "unclear", notBefore: NOW + 2_000, issuedAt: 1 }] })) as { seconds: number };
    expect(est.seconds).toBe((2_000 + SEND_TICKET_LIFETIME_MS + WRITE_LANDING_MARGIN_MS + 2_000) / 1000);
  });

  it("a Retry-After pending: no countdown, the time of the next try", () => {
    const pacer = pauseFor(createPacer(NOW), 25_000, NOW);
    expect(estimateRun(input({ devices: queued(1, NOW + 25_000), pacer }))).toEqual({ kind: "waiting", why: "throttled", nextTryAt: NOW + 25_000, secondsToNextTry: 25 });
  });

  it("Graph failing the last 3 calls: no countdown, the time of the next try", () => {
    const est = estimateRun(input({ devices: queued(1, NOW + 25_000), recent: ["answered", "failed", "failed", "failed"] }));
    expect(est).toEqual({ kind: "waiting", why: "errors", nextTryAt: NOW + 25_000, secondsToNextTry: 25 });
  });

  it("two failures are not yet 'keeps failing', and one answer ends it", () => {
    expect(estimateRun(input({ devices: queued(1), recent: ["failed", "failed"] })).kind).toBe("left");
    expect(estimateRun(input({ devices: queued(1), recent: ["failed", "failed", "failed", "answered"] })).kind).toBe("left");
  });

  it("Graph failing with a try under way: trying now (null)", () => {
    const est = estimateRun(input({ devices: [{ status: "sent" }], recent: ["failed", "failed", "failed"] }));
    expect(est).toEqual({ kind: "waiting", why: "errors", nextTryAt: null, secondsToNextTry: 0 });
  });

  it("a call with no answer for over 30 s says so instead of any estimate", () => {
    expect(estimateRun(input({ devices: [{ status: "sent" }], msWithoutAnswer: 45_400 }))).toEqual({ kind: "slow", secondsWithoutAnswer: 45 });
  });
});

describe("nextTryAt", () => {
  it("the earliest of a queued device's backoff and an unclear device's read, never before now", () => {
    expect(nextTryAt({ now: NOW, devices: [...queued(1, NOW + 40_000), { status: "unclear", notBefore: NOW + 10_000 }], pacer: createPacer(NOW) })).toBe(NOW + 10_000);
    expect(nextTryAt({ now: NOW, devices: queued(1, NOW - 5_000), pacer: createPacer(NOW) })).toBe(NOW);
    expect(nextTryAt({ now: NOW, devices: [{ status: "sent" }], pacer: createPacer(NOW) })).toBeNull();
  });
});

describe("attempts", () => {
  it("a send call failed only when no device of it got a definite answer", () => {
    expect(sendAttempt(null)).toBe("failed");
    expect(sendAttempt([{ deviceId: "a", kind: "throttled", status: 429 }, { deviceId: "b", kind: "unclear", message: "503" }])).toBe("failed");
    expect(sendAttempt([{ deviceId: "a", kind: "rejected", status: 503, error: { kind: "unavailable", message: "503" } }])).toBe("failed");
    expect(sendAttempt([{ deviceId: "a", kind: "throttled", status: 429 }, { deviceId: "b", kind: "accepted", status: 204 }])).toBe("answered");
    expect(sendAttempt([{ deviceId: "a", kind: "rejected", status: 404, error: { kind: "not-found", message: "gone" } }])).toBe("answered");
  });

  it("a read call failed when every read did", () => {
    expect(readAttempt(null)).toBe("failed");
    expect(readAttempt([{ deviceId: "a", kind: "error", error: { kind: "unavailable", message: "503" } }])).toBe("failed");
    expect(readAttempt([{ deviceId: "a", kind: "not-found" }])).toBe("answered");
  });

  it("counts failures after the latest answer", () => {
    expect(failuresInARow([])).toBe(0);
    expect(failuresInARow(["failed", "answered", "failed", "failed"])).toBe(2);
  });
});

describe("estimateSentence", () => {
  it("a countdown only when the run can keep it; else what it waits for, with the time and how long until", () => {
    expect(estimateSentence({ kind: "none" }, hhmmss)).toBeNull();
    expect(estimateSentence({ kind: "left", seconds: 200 }, hhmmss)).toBe("About 3 min 20 s left.");
    expect(estimateSentence({ kind: "waiting", why: "errors", nextTryAt: NOW + 25_000, secondsToNextTry: 25 }, hhmmss)).toMatch(
      /^Graph is answering with errors; the next try is at 14:02:10 \(in 25 s\)\./,
    );
    expect(estimateSentence({ kind: "waiting", why: "throttled", nextTryAt: NOW + 25_000, secondsToNextTry: 25 }, hhmmss)).toMatch(/^Intune is throttling .*14:02:10 \(in 25 s\)/);
    expect(estimateSentence({ kind: "waiting", why: "errors", nextTryAt: null, secondsToNextTry: 0 }, hhmmss)).toMatch(/trying again now/);
    expect(estimateSentence({ kind: "slow", secondsWithoutAnswer: 45 }, hhmmss)).toMatch(/no answer for 45 s/);
  });
});
