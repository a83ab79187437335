/**
 * What every server action returns: data, or an error the UI can put into a sentence.
 * lib/graph/errors.ts is the only place that turns Graph's answers into these kinds.
 */
export type ErrorKind =
  /** No token, a malformed one, or one Graph refused as expired or invalid: sign in again. */
  | "unauthenticated"
  /** The signed-in user's Intune role does not allow the operation. */
  | "forbidden-role"
  /** The app has not been granted a Graph scope in this tenant (an admin must consent). */
  | "forbidden-consent"
  | "not-found"
  /** 429 from Graph after the client's own retries. */
  | "throttled"
  /** 5xx, timeout or network failure with nothing to suggest the request took effect. */
  | "unavailable"
  /** A write whose outcome is unknown (5xx or timeout after sending): check the device before resending. */
  | "unclear"
  /** The input failed validation or Graph answered 400. */
  | "invalid"
  /**
   * Multi Admin Approval covers the wipe: nothing ran. With `approvalRequestId`, Intune opened an approval request (an
   * approver must act, then the requester completes it); without, the request needs a justification first.
   */
  | "approval-required"
  /** An approval request for this device is already open: nothing new was asked for. */
  | "approval-open"
  /** The tenant's daily wipe limit is reached: nothing ran; `retryAfterSeconds` says when one may be sent again. */
  | "daily-limit";

export interface ActionError {
  kind: ErrorKind;
  /** One sentence for the user: what happened and what to do. */
  message: string;
  retryAfterSeconds?: number;
  /** For forbidden-consent: the scope the tenant has not granted. */
  missingScope?: string;
  /** Graph's request-id, for a support ticket. */
  requestId?: string;
  /** For approval-required: the approval request Intune opened (its id is the x-msft-approval-code). */
  approvalRequestId?: string;
}

export type ActionResult<T> = { data: T; error?: undefined } | { error: ActionError; data?: undefined };

/**
 * An ActionError, thrown: by a handler to answer with it instead of a Graph mapping (lib/actions/define-action.ts
 * returns it as {error}), and in the browser so TanStack Query treats a {error} answer as a failure the UI can word.
 */
export class ActionFailure extends Error {
  constructor(readonly error: ActionError) {
    super(error.message);
    this.name = "ActionFailure";
  }
}
