/** Intune managed device ids are GUIDs; anything else in the URL cannot name a device, so it is a not-found page. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isDeviceId(value: string): boolean {
  return GUID.test(value);
}
