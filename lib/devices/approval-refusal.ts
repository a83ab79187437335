/**
 * Why Intune refused an approval code on the completing wipe, said as it really is (docs/product.md, "Journey 8";
 * docs/graph.md, "Multi Admin Approval"): only the requester may complete a request, and a code completes only the
 * wipe its request was made for. Intune's refusal alone is a 403 or a 400 whose words vary, so the console reads the
 * request and the device's own request after it and words the refusal from those facts.
 */
import type { ApprovalRequestView } from "./approval";

export interface CodeRefusalFacts {
  /** The request the code is, as the caller read it after the refusal (already settled), or null when unreadable. */
  request: Pick<ApprovalRequestView, "id" | "status" | "mine" | "requestor"> | null;
  /** retrieveRequestStatus for the device: its open (else latest) request id; null when none, undefined when unread. */
  deviceRequestId: string | null | undefined;
}

const STATUS_WORDS: Partial<Record<ApprovalRequestView["status"], string>> = {
  needsApproval: "has not been approved yet",
  rejected: "was rejected",
  cancelled: "was cancelled",
  completed: "was already completed (an approval is used once)",
  expired: "has expired (a request lasts 3 days)",
};

/** The sentence for a refused approval code, or null when the facts do not explain it (the refusal is then Intune's own). */
export function codeRefusalSentence({ request, deviceRequestId }: CodeRefusalFacts): string | null {
  if (!request) return null;
  if (!request.mine) {
    const who = request.requestor.displayName ?? "the person who asked for it";
    return `This approval belongs to ${who}'s request, not yours: only ${who} can complete it (Intune's rule). Nothing was sent.`;
  }
  if (deviceRequestId !== undefined && deviceRequestId?.toLowerCase() !== request.id.toLowerCase()) {
    return "This approval code belongs to another device's request, not this device's: Intune completes a request only on the device it was made for. Nothing was sent.";
  }
  const words = STATUS_WORDS[request.status];
  return words ? `The approval request ${words}, so Intune did not accept it. Nothing was sent; the page now shows where the request stands.` : null;
}
