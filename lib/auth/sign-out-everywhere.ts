/**
 * Signing out ends the session in every tab of the console (docs/architecture.md, "Sign-in and tokens"). MSAL keeps tokens in
 * each tab's sessionStorage, so a sign-out in one tab cannot reach the others' caches by itself: the tab that signs out
 * says so on a BroadcastChannel of this origin, and every other tab clears its own cache and stops (its page, and any
 * run it drives, go with it).
 */

export const SIGN_OUT_CHANNEL = "arc-session";

interface SignedOut {
  type: "signed-out";
}

function isSignedOut(data: unknown): data is SignedOut {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "signed-out";
}

type ChannelLike = Pick<BroadcastChannel, "postMessage" | "close"> & {
  onmessage: ((event: MessageEvent) => void) | null;
};

const openChannel = (): ChannelLike | null => (typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(SIGN_OUT_CHANNEL));

/** Tells every other tab of the console that this person signed out. */
export function announceSignOut(open: () => ChannelLike | null = openChannel): void {
  const channel = open();
  if (!channel) return;
  channel.postMessage({ type: "signed-out" } satisfies SignedOut);
  channel.close();
}

/** Calls `onSignedOut` when another tab announces a sign-out; returns the unsubscribe. */
export function whenSignedOutElsewhere(onSignedOut: () => void, open: () => ChannelLike | null = openChannel): () => void {
  const channel = open();
  if (!channel) return () => undefined;
  channel.onmessage = (event) => {
    if (isSignedOut(event.data)) onSignedOut();
  };
  return () => channel.close();
}
