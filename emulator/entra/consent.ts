/**
 * Incremental consent. A token carries the persona's admin-consented scopes (whatever was asked, as Entra does) plus
 * the user-consentable scopes (USER_CONSENTABLE) she consented to herself. She consents on the "Pick an account" page
 * of an interactive request that asks for one; a silent request (prompt=none, or a refresh token) asking for a scope
 * she has not consented to is refused with AADSTS65001 (consent_required), so MSAL falls back to an interactive one.
 * Admin-only scopes are never granted by asking: the token simply lacks them (emulator/README.md, "Tenant and personas").
 */
import { GRAPH_RESOURCE, USER_CONSENTABLE, type Persona, type PersonaId } from "../tenant";

/** A requested scope's bare Graph name ("https://graph.microsoft.com/User.ReadBasic.All" -> "User.ReadBasic.All"), case kept. */
function bareScope(scope: string): string {
  return scope.replace(new RegExp(`^${GRAPH_RESOURCE.replace(/[.]/g, "\\.")}/`, "i"), "");
}

export class Consents {
  private readonly granted = new Map<PersonaId, Set<string>>();

  /** The Graph scopes a token for `persona` carries now. */
  scopes(persona: Persona): string[] {
    const own = this.granted.get(persona.id);
    return own ? [...persona.scopes, ...[...own].filter((s) => !persona.scopes.includes(s))] : [...persona.scopes];
  }

  /** User-consentable scopes `requested` names that the persona has neither admin consent nor her own consent for. */
  missing(persona: Persona, requested: string): string[] {
    const have = new Set(this.scopes(persona).map((s) => s.toLowerCase()));
    const out: string[] = [];
    for (const raw of requested.split(" ").filter(Boolean)) {
      const name = USER_CONSENTABLE.find((s) => s.toLowerCase() === bareScope(raw).toLowerCase());
      if (name && !have.has(name.toLowerCase()) && !out.includes(name)) out.push(name);
    }
    return out;
  }

  /** Records the persona's consent to the user-consentable scopes `requested` names. */
  grant(persona: Persona, requested: string): string[] {
    const added = this.missing(persona, requested);
    if (added.length === 0) return added;
    const own = this.granted.get(persona.id) ?? new Set<string>();
    for (const s of added) own.add(s);
    this.granted.set(persona.id, own);
    return added;
  }

  describe(): Record<string, string[]> {
    return Object.fromEntries([...this.granted].map(([id, set]) => [id, [...set]]));
  }

  clear(): void {
    this.granted.clear();
  }
}
