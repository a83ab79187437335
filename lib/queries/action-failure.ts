import { ActionFailure, type ActionError, type ActionResult } from "@/lib/result";

export function unwrap<T>(result: ActionResult<T>): T {
  if (result.error) throw new ActionFailure(result.error);
  return result.data as T;
}

/** Server actions can also fail outright (the server restarted, the network dropped): word that too. */
export function toActionError(error: unknown): ActionError {
  if (error instanceof ActionFailure) return error.error;
  if (error instanceof Error && error.name === "SignInRequiredError") {
    return { kind: "unauthenticated", message: error.message };
  }
  return {
    kind: "unavailable",
    message: "The console could not reach its server. Check your connection and try again.",
  };
}

/** Retry reads only when waiting can help: throttling (honouring Retry-After) and outages, a couple of times. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  const kind = toActionError(error).kind;
  if (kind === "throttled" || kind === "unavailable") return failureCount < 2;
  return false;
}

export function retryDelay(failureCount: number, error: unknown): number {
  const after = toActionError(error).retryAfterSeconds;
  if (after !== undefined) return Math.min(after, 30) * 1000;
  return Math.min(1000 * 2 ** failureCount, 8000);
}
