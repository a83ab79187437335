/**
 * The emulator's fixed demo tenant: ids, app registration, personas, and what each persona may do.
 * lib/config.ts holds the same two ids; the emulator imports nothing from lib/.
 */

export const TENANT_ID = "7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87";
export const CLIENT_ID = "4a1b2c3d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
const TENANT_DOMAIN = "contoso.onmicrosoft.com";
/** Graph's resource: its URI and its well-known app id; access tokens carry either as `aud`. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const ACCESS_TOKEN_ISSUER = `https://sts.windows.net/${TENANT_ID}/`;

export const SCOPES = {
  read: "DeviceManagementManagedDevices.Read.All",
  readWrite: "DeviceManagementManagedDevices.ReadWrite.All",
  privileged: "DeviceManagementManagedDevices.PrivilegedOperations.All",
  serviceConfigRead: "DeviceManagementServiceConfig.Read.All",
  serviceConfigReadWrite: "DeviceManagementServiceConfig.ReadWrite.All",
  rbacRead: "DeviceManagementRBAC.Read.All",
  rbacReadWrite: "DeviceManagementRBAC.ReadWrite.All",
  configRead: "DeviceManagementConfiguration.Read.All",
  configReadWrite: "DeviceManagementConfiguration.ReadWrite.All",
  /** Remediation script packages (deviceHealthScripts) since September 2025 (docs/graph.md, "Remediations on demand (WinRE)"). */
  scriptsRead: "DeviceManagementScripts.Read.All",
  scriptsReadWrite: "DeviceManagementScripts.ReadWrite.All",
  userRead: "User.Read",
  /** Directory (Entra) scopes: users, groups and their members, device objects (docs/graph.md, "Users, groups and Entra devices"). */
  userReadBasicAll: "User.ReadBasic.All",
  userReadAll: "User.Read.All",
  userReadWriteAll: "User.ReadWrite.All",
  groupMemberReadAll: "GroupMember.Read.All",
  groupMemberReadWriteAll: "GroupMember.ReadWrite.All",
  groupReadAll: "Group.Read.All",
  groupReadWriteAll: "Group.ReadWrite.All",
  deviceReadAll: "Device.Read.All",
  directoryReadAll: "Directory.Read.All",
  directoryReadWriteAll: "Directory.ReadWrite.All",
  /** BitLocker recovery keys (docs/graph.md, "BitLocker recovery keys"): the list without the key, and the key itself. */
  bitlockerReadBasic: "BitlockerKey.ReadBasic.All",
  bitlockerRead: "BitlockerKey.Read.All",
} as const;

/**
 * Scopes a user may consent to for herself (graph-docs permissions reference: User.ReadBasic.All needs no admin
 * consent). A persona whose tenant did not admin-consent one gets it once the app asks for it interactively (the
 * account page records the consent); GroupMember.Read.All and Device.Read.All need an admin, so asking never grants them.
 */
export const USER_CONSENTABLE: readonly string[] = [SCOPES.userReadBasicAll];

/** Intune RBAC resource actions (the strings getEffectivePermissions reports). */
export const INTUNE_ACTIONS = {
  devicesRead: "Microsoft.Intune_ManagedDevices_Read",
  wipe: "Microsoft.Intune_RemoteTasks_Wipe",
  sync: "Microsoft.Intune_RemoteTasks_SyncDevice",
  autopilotRead: "Microsoft.Intune_EnrollmentProgram_Read",
  /** Device configurations: Read (settings catalog policies, device preparation policies among them). */
  configRead: "Microsoft.Intune_DeviceConfigurations_Read",
  auditRead: "Microsoft.Intune_Audit_Read",
  rolesRead: "Microsoft.Intune_Roles_Read",
  /** Multi Admin Approval: "Read access policy" and "Approval for Multi Admin Approval" (memdocs multi-admin-approval.md). */
  maaReadPolicy: "Microsoft.Intune_MultiAdminApproval_ReadAccessPolicy",
  maaApprove: "Microsoft.Intune_MultiAdminApproval_ApprovalForMultiAdminApproval",
  /** Remote tasks: Run remediation (memdocs run-remediation.md: Help Desk Operator, School Administrator, custom roles). */
  runRemediation: "Microsoft.Intune_RemoteTasks_RunRemediation",
  /** Changing an Autopilot device's group tag or user (updateDeviceProperties); the permission's name is UNVERIFIED. */
  autopilotUpdate: "Microsoft.Intune_EnrollmentProgram_UpdateDevice",
} as const;
export type IntuneAction = (typeof INTUNE_ACTIONS)[keyof typeof INTUNE_ACTIONS];

export type PersonaId = "helpdesk" | "readonly" | "endpointsecurity" | "intuneadmin" | "noconsent" | "approver";

export interface Persona {
  id: PersonaId;
  oid: string;
  displayName: string;
  userPrincipalName: string;
  role: string;
  /** Graph delegated scopes the tenant admin consented to for this app, as they appear in a token's `scp`. */
  scopes: string[];
  /** Microsoft Entra directory roles (not Intune roles): what the BitLocker key reads check (BITLOCKER_KEY_ROLES). */
  entraRoles: string[];
}

/**
 * The Entra roles that may read BitLocker recovery keys with a delegated token, besides the device's registered owner
 * (graph-docs bitlockerrecoverykey-get.md: Cloud Device Administrator, Helpdesk Administrator, Intune Service
 * Administrator, Security Administrator, Security Reader, Global Reader).
 */
export const BITLOCKER_KEY_ROLES: readonly string[] = [
  "Cloud Device Administrator", "Helpdesk Administrator", "Intune Administrator", "Security Administrator", "Security Reader", "Global Reader",
];

export function mayReadBitlockerKeys(persona: Persona): boolean {
  return persona.entraRoles.some((r) => BITLOCKER_KEY_ROLES.includes(r));
}

const DIRECTORY_CONSENTED: readonly string[] = [SCOPES.userReadBasicAll, SCOPES.groupMemberReadAll, SCOPES.deviceReadAll];
/** Both need admin consent (graph-docs permissions reference), so asking never grants them to a tenant that lacks them. */
const BITLOCKER_CONSENTED: readonly string[] = [SCOPES.bitlockerReadBasic, SCOPES.bitlockerRead];
const CONSENTED: string[] = [
  SCOPES.read, SCOPES.privileged, SCOPES.serviceConfigRead, SCOPES.serviceConfigReadWrite, SCOPES.rbacRead, SCOPES.configRead, SCOPES.scriptsRead,
  SCOPES.userRead, ...DIRECTORY_CONSENTED, ...BITLOCKER_CONSENTED,
];

/** The custom Intune role of the approver persona: reads, plus the two Multi Admin Approval permissions; no remote tasks. */
const MAA_APPROVER_ROLE = "Multi Admin Approval Approver (custom)";

/**
 * Role -> allowed Intune actions: the one table the Graph role check and getEffectivePermissions both read.
 * Source: memdocs role-based-access-control-reference (Help Desk Operator: Remote tasks Wipe + Sync; Endpoint Security
 * Manager: Sync, no Wipe; Read Only Operator: read only; Help Desk Operator also Run remediation, memdocs
 * run-remediation.md; Intune Administrator: everything; every one of them reads
 * device configurations). No built-in role there
 * lists a Multi Admin Approval permission, so only Intune Administrator and the custom approver role have them.
 */
const ROLE_ACTIONS: Record<string, readonly IntuneAction[]> = {
  "Help Desk Operator": [
    INTUNE_ACTIONS.devicesRead, INTUNE_ACTIONS.wipe, INTUNE_ACTIONS.sync, INTUNE_ACTIONS.runRemediation,
    INTUNE_ACTIONS.autopilotRead, INTUNE_ACTIONS.configRead, INTUNE_ACTIONS.auditRead, INTUNE_ACTIONS.rolesRead,
  ],
  "Read Only Operator": [
    INTUNE_ACTIONS.devicesRead, INTUNE_ACTIONS.autopilotRead, INTUNE_ACTIONS.configRead, INTUNE_ACTIONS.auditRead, INTUNE_ACTIONS.rolesRead,
  ],
  "Endpoint Security Manager": [
    INTUNE_ACTIONS.devicesRead, INTUNE_ACTIONS.sync, INTUNE_ACTIONS.autopilotRead, INTUNE_ACTIONS.configRead, INTUNE_ACTIONS.auditRead,
    INTUNE_ACTIONS.rolesRead,
  ],
  "Intune Administrator": Object.values(INTUNE_ACTIONS),
  [MAA_APPROVER_ROLE]: [
    INTUNE_ACTIONS.devicesRead, INTUNE_ACTIONS.autopilotRead, INTUNE_ACTIONS.configRead, INTUNE_ACTIONS.auditRead, INTUNE_ACTIONS.rolesRead,
    INTUNE_ACTIONS.maaReadPolicy, INTUNE_ACTIONS.maaApprove,
  ],
};

export const PERSONAS: readonly Persona[] = [
  {
    id: "helpdesk",
    oid: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e21",
    displayName: "Megan Bowen",
    userPrincipalName: `MeganB@${TENANT_DOMAIN}`,
    role: "Help Desk Operator",
    scopes: CONSENTED,
    entraRoles: ["Helpdesk Administrator"],
  },
  {
    id: "readonly",
    oid: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e22",
    displayName: "Lee Gu",
    userPrincipalName: `LeeG@${TENANT_DOMAIN}`,
    role: "Read Only Operator",
    scopes: CONSENTED,
    entraRoles: ["Global Reader"],
  },
  {
    id: "endpointsecurity",
    oid: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e23",
    displayName: "Diego Siciliani",
    userPrincipalName: `DiegoS@${TENANT_DOMAIN}`,
    role: "Endpoint Security Manager",
    scopes: CONSENTED,
    entraRoles: [],
  },
  {
    id: "intuneadmin",
    oid: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e24",
    displayName: "Isaiah Langer",
    userPrincipalName: `IsaiahL@${TENANT_DOMAIN}`,
    role: "Intune Administrator",
    scopes: CONSENTED,
    entraRoles: ["Intune Administrator"],
  },
  {
    id: "noconsent",
    oid: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e25",
    displayName: "Patti Fernandez",
    userPrincipalName: `PattiF@${TENANT_DOMAIN}`,
    role: "Help Desk Operator",
    // Her tenant never admin-consented PrivilegedOperations.All, DeviceManagementServiceConfig.ReadWrite.All, DeviceManagementConfiguration.Read.All,
    // DeviceManagementScripts.Read.All, the directory scopes nor the BitLocker key scopes, so Entra leaves them out of her
    // tokens; User.ReadBasic.All she may consent to herself, and gets once the app asks for it (USER_CONSENTABLE).
    scopes: CONSENTED.filter(
      (s) => s !== SCOPES.privileged && s !== SCOPES.serviceConfigReadWrite && s !== SCOPES.configRead && s !== SCOPES.scriptsRead && !DIRECTORY_CONSENTED.includes(s) && !BITLOCKER_CONSENTED.includes(s),
    ),
    entraRoles: ["Helpdesk Administrator"],
  },
  {
    id: "approver",
    oid: "0b7c2f4e-1a3d-4c5b-8e6f-7a8b9c0d1e26",
    displayName: "Johanna Lorenz",
    userPrincipalName: `JohannaL@${TENANT_DOMAIN}`,
    role: MAA_APPROVER_ROLE,
    scopes: CONSENTED,
    entraRoles: [],
  },
];

/**
 * The Entra security group an access policy names in approverGroupIds. Its members may approve or reject requests of a
 * policy that names it (besides holding the Approval permission): the approver persona, and Intune Administrator so
 * that "nobody approves their own request" can be seen with one account that may do both.
 */
export const APPROVER_GROUP = {
  id: "5c0e7d3a-2b4f-4e61-9a8d-1f3b5c7e9a02",
  displayName: "Intune MAA Approvers",
  members: ["approver", "intuneadmin"] as readonly PersonaId[],
};

export function inGroup(persona: Persona, groupId: string): boolean {
  return groupId.toLowerCase() === APPROVER_GROUP.id && APPROVER_GROUP.members.includes(persona.id);
}

export function findPersona(id: string): Persona | undefined {
  return PERSONAS.find((p) => p.id === id);
}

export function findPersonaByOid(oid: string): Persona | undefined {
  return PERSONAS.find((p) => p.oid === oid);
}

export function allowedActions(persona: Persona): readonly IntuneAction[] {
  return ROLE_ACTIONS[persona.role] ?? [];
}

export function personaMay(persona: Persona, action: IntuneAction): boolean {
  return allowedActions(persona).includes(action);
}
