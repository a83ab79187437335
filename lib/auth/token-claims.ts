/**
 * Who is calling, read from the access token's claims without verifying it (Graph verifies it on every call). Used only
 * to name the caller to colleagues ("Megan Bowen reset this device a minute ago"), to keep one tenant's device locks
 * apart from another's, and to tell the caller's own approval requests apart on screen; never to grant anything.
 */
import { decodeJwt } from "jose";

export interface Caller {
  tenantId: string | undefined;
  /** A display name, else the UPN, else "someone". */
  displayName: string;
  /** The user's object id (`oid`): tells their own approval requests apart. */
  userId?: string;
}

export function callerOf(accessToken: string): Caller {
  try {
    const claims = decodeJwt(accessToken);
    const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 200) : undefined);
    return {
      tenantId: text(claims.tid),
      displayName: text(claims.name) ?? text(claims.preferred_username) ?? text(claims.upn) ?? "someone",
      ...(text(claims.oid) ? { userId: text(claims.oid) } : {}),
    };
  } catch {
    return { tenantId: undefined, displayName: "someone" };
  }
}
