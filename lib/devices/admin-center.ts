/**
 * Links into the Microsoft Intune admin center, for what this console does not do (a full Wipe). The device's page is
 * `#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/<Intune device id>` (docs/graph.md,
 * "The Intune admin center").
 */
const ADMIN_CENTER = "https://intune.microsoft.com";

/** The device's Overview in the Intune admin center, where Wipe, Retire and the other remote actions are. */
export function adminCenterDeviceUrl(deviceId: string): string {
  return `${ADMIN_CENTER}/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/${encodeURIComponent(deviceId)}`;
}

/**
 * Multi Admin Approval in the admin center (Tenant administration > Multi Admin Approval), where an approver finds the
 * request among Received requests (docs/graph.md, "The Intune admin center": no deep link to one request is known).
 */
export function adminCenterApprovalsUrl(): string {
  return `${ADMIN_CENTER}/#view/Microsoft_Intune_DeviceSettings/TenantAdminMenu/~/multiAdminApproval`;
}
