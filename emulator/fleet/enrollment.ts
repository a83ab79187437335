/**
 * How the tenant's Windows devices enroll: its classic Autopilot deployment profiles (one per group tag, as if each were
 * assigned to a dynamic group on `[OrderID]`), its Autopilot device preparation policies, and the ordinary settings
 * catalog policies served beside them (docs/graph.md, "Autopilot device preparation"). Fixed data; ids derive from the
 * seed where they are served.
 */

/** The settings catalog template of user-driven Autopilot device preparation policies (docs/graph.md, "Autopilot device preparation"). */
export const DEVICE_PREPARATION_TEMPLATE_ID = "80d33118-b7b4-40d8-b15f-81be745e053f_1";

export interface ClassicProfile {
  displayName: string;
  description: string;
  /** Self-deploying profiles set up shared devices; user-driven ones a device per user. */
  shared: boolean;
}

/** A name both a device preparation policy and a classic profile carry: enrollmentProfileName cannot tell them apart. */
export const COLLIDING_NAME = "Contoso frontline";

/** In this order: a profile's id derives from its position (ids served before the frontline profile existed stay). */
export const CLASSIC_PROFILES: readonly ClassicProfile[] = [
  { displayName: "Contoso user-driven", description: "Entra join, user-driven; standard apps.", shared: false },
  { displayName: "Contoso engineering", description: "Entra join, user-driven; developer tools.", shared: false },
  { displayName: "Contoso kiosk", description: "Self-deploying kiosk.", shared: true },
  { displayName: "Contoso shared lab", description: "Self-deploying, shared PC mode.", shared: true },
  { displayName: COLLIDING_NAME, description: "Entra join, user-driven; frontline workers' apps.", shared: false },
];

/** Group tag -> profile. An untagged device is in none of the profiles' groups, so none is assigned to it. */
const PROFILE_BY_TAG: Record<string, number> = { Standard: 0, Finance: 0, Engineering: 1, Kiosk: 2, "Shared-Lab": 3, Frontline: 4 };

/** The position in CLASSIC_PROFILES of the profile a group tag gets, or undefined. */
export function classicProfileIndexForTag(tag: string): number | undefined {
  return tag && Object.hasOwn(PROFILE_BY_TAG, tag) ? PROFILE_BY_TAG[tag] : undefined;
}

export function classicProfileForTag(tag: string): ClassicProfile | undefined {
  const i = classicProfileIndexForTag(tag);
  return i === undefined ? undefined : CLASSIC_PROFILES[i];
}

export interface SettingsCatalogPolicy {
  name: string;
  description: string;
  platforms: "windows10" | "macOS" | "iOS";
  technologies: string;
  settingCount: number;
  devicePreparation: boolean;
}

const ordinary = (name: string, description: string, settingCount: number, platforms: SettingsCatalogPolicy["platforms"] = "windows10", technologies = "mdm"): SettingsCatalogPolicy =>
  ({ name, description, platforms, technologies, settingCount, devicePreparation: false });
const devicePreparation = (name: string, description: string): SettingsCatalogPolicy =>
  ({ name, description, platforms: "windows10", technologies: "enrollment", settingCount: 9, devicePreparation: true });

export const DEVICE_PREPARATION_POLICIES = {
  userDriven: "Contoso device preparation - user-driven",
  engineering: "Contoso device preparation - engineering",
  frontline: COLLIDING_NAME,
} as const;

/**
 * Every settings catalog policy of the tenant, in the order the list answers them: 27, so the default page of 25 leaves
 * one device preparation policy on the second page (a client that stops after one page misses it).
 */
export const SETTINGS_CATALOG_POLICIES: readonly SettingsCatalogPolicy[] = [
  ordinary("Windows - BitLocker", "Silent BitLocker encryption of the OS drive, keys escrowed to Entra ID.", 12),
  ordinary("Windows - Microsoft Defender Antivirus", "Real-time protection, cloud-delivered protection, PUA blocking.", 18, "windows10", "mdm,microsoftSense"),
  ordinary("Windows - Edge baseline", "Startup pages, SmartScreen, password manager off.", 22),
  devicePreparation(DEVICE_PREPARATION_POLICIES.userDriven, "User-driven Entra join through device preparation; standard apps during OOBE."),
  ordinary("Windows - Windows Update ring (broad)", "Quality updates after 7 days, feature updates after 60.", 9),
  ordinary("Windows - OneDrive Known Folder Move", "Silently moves Desktop, Documents and Pictures to OneDrive.", 5),
  ordinary("Windows - Windows Hello for Business", "PIN of 6 or more digits, biometrics allowed.", 7),
  ordinary("Windows - Local admin password (LAPS)", "Backs up the local admin password to Entra ID every 30 days.", 4),
  ordinary("Windows - Firewall", "Domain, private and public profiles on; inbound blocked by default.", 11, "windows10", "mdm,microsoftSense"),
  ordinary("Windows - Start menu and taskbar", "Pinned apps and a tidy taskbar for new users.", 6),
  ordinary("Windows - Delivery Optimization", "Peer caching on the LAN.", 3),
  ordinary("Windows - Attack surface reduction rules", "Block mode for Office child processes and credential stealing.", 14, "windows10", "mdm,microsoftSense"),
  ordinary("Windows - Time zone and regional settings", "Automatic time zone; en-US keyboard.", 3),
  ordinary("Windows - Power settings (laptops)", "Sleep after 30 minutes on battery.", 4),
  devicePreparation(DEVICE_PREPARATION_POLICIES.engineering, "Device preparation for engineering laptops: developer tools during OOBE."),
  ordinary("Windows - Office apps update channel", "Monthly Enterprise Channel.", 2),
  ordinary("Windows - Remote Desktop off", "Remote Desktop connections refused.", 2),
  ordinary("Windows - Credential Guard", "Virtualization-based security with UEFI lock.", 3),
  ordinary("Windows - Lock screen message", "Legal notice before sign-in.", 2),
  ordinary("Windows - USB storage (engineering)", "Removable storage read only.", 5),
  ordinary("macOS - FileVault", "FileVault on at next sign-in; recovery key escrowed.", 6, "macOS", "mdm,appleRemoteManagement"),
  ordinary("macOS - Software updates", "Install macOS updates within 7 days.", 4, "macOS", "mdm,appleRemoteManagement"),
  ordinary("iOS - Restrictions", "No AirDrop to unmanaged devices; managed open-in.", 8, "iOS", "mdm,appleRemoteManagement"),
  ordinary("Windows - Smart App Control off", "Smart App Control disabled for line-of-business apps.", 1),
  ordinary("Windows - Microsoft Store apps", "Private store only; auto-update on.", 3),
  ordinary("Windows - Printer deployment (Seattle)", "Universal Print printers for the Seattle office.", 2),
  devicePreparation(DEVICE_PREPARATION_POLICIES.frontline, "Device preparation for frontline workers' shared laptops. Named like the classic frontline profile."),
];
