/**
 * The Graph scopes the signed-in user's token actually carries, as MSAL last reported them (AuthenticationResult.scopes).
 * A tenant that never consented to a scope returns tokens without it: the UI reads this to name the missing consent
 * before a request is even sent.
 */
type Listener = () => void;

let granted: readonly string[] | null = null;
const listeners = new Set<Listener>();

export function setGrantedScopes(scopes: readonly string[]): void {
  const next = [...scopes].sort();
  if (granted && granted.length === next.length && granted.every((scope, index) => scope === next[index])) return;
  granted = next;
  for (const listener of listeners) listener();
}

export function clearGrantedScopes(): void {
  granted = null;
  for (const listener of listeners) listener();
}

export function getGrantedScopes(): readonly string[] | null {
  return granted;
}

export function subscribeGrantedScopes(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
