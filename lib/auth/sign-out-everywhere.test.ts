import { afterEach, describe, expect, it, vi } from "vitest";
import { announceSignOut, SIGN_OUT_CHANNEL, whenSignedOutElsewhere } from "./sign-out-everywhere";

/** Node's BroadcastChannel: channels of one name in one process hear each other, as tabs of one origin do. */
const open = () => new BroadcastChannel(SIGN_OUT_CHANNEL);
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("sign out everywhere", () => {
  const stops: (() => void)[] = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  it("every other listener hears a sign-out, once", async () => {
    const [a, b] = [vi.fn(), vi.fn()];
    stops.push(whenSignedOutElsewhere(a, open), whenSignedOutElsewhere(b, open));
    announceSignOut(open);
    await settle();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
  });

  it("ignores any other message on the channel, and nothing is heard after unsubscribing", async () => {
    const heard = vi.fn();
    const stop = whenSignedOutElsewhere(heard, open);
    const other = open();
    other.postMessage({ type: "signed-in" });
    other.postMessage("signed-out");
    other.postMessage(null);
    await settle();
    expect(heard).not.toHaveBeenCalled();
    stop();
    announceSignOut(open);
    await settle();
    expect(heard).not.toHaveBeenCalled();
    other.close();
  });

  it("does nothing where the browser has no BroadcastChannel", () => {
    expect(() => announceSignOut(() => null)).not.toThrow();
    expect(whenSignedOutElsewhere(vi.fn(), () => null)).toBeTypeOf("function");
  });
});
