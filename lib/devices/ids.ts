/**
 * The one GUID pattern: Intune managed device ids, Entra tenant and client ids. Pure, so the browser (routes), the
 * server actions, lib/graph's URL guards and lib/config all test ids the same way.
 */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/** Intune managed device ids are GUIDs; anything else cannot name a device (a URL with one is a not-found page). */
export function isDeviceId(value: string): boolean {
  return isGuid(value);
}
