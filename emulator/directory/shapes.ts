/**
 * Wire shapes of user, device and group (graph-docs v1.0 resources/user.md, device.md, group.md). A user and a group
 * answer their default property sets unless $select names others (user.md, group.md: "only a subset of properties is
 * returned by default"; the group set is the one group-get.md's example answers); a device answers every property of
 * the schema (device.md marks none "returned only on $select"). `filter` marks what $filter accepts (eq, startswith).
 */
import type { Fleet } from "../fleet/fleet";
import { autopilotEnrolledOf, joinTypeOf, modelOf, platformOf } from "../fleet/device";
import { iso } from "../graph/resources/table";
import type { DirDevice, DirGroup, DirObject, DirUser } from "./model";
import { DEVICE_SCHEMA_PROPERTIES, GROUP_SCHEMA_PROPERTIES, USER_SCHEMA_PROPERTIES } from "./schema";

export type Value = string | number | boolean | null | unknown[] | Record<string, unknown>;

export interface Prop<Row> {
  get: (row: Row, now: number) => Value;
  filter?: "string" | "bool";
}

export interface Shape<Row> {
  typeName: "user" | "device" | "group" | "directoryObject";
  /** The resource name Graph's "invalid filter clause" message uses. */
  resource: string;
  props: Record<string, Prop<Row>>;
  /** Written without $select (all props when undefined). */
  defaults?: readonly string[];
  /** Every property Graph's schema has for the type: $select may name any (those not in `props` answer null). */
  schema: readonly string[];
}

const INTUNE_APP_ID = "0000000a-0000-0000-c000-000000000000";

export const USER_SHAPE: Shape<DirUser> = {
  typeName: "user",
  resource: "User",
  props: {
    id: { get: (u) => u.id, filter: "string" },
    businessPhones: { get: () => [] },
    displayName: { get: (u) => u.displayName, filter: "string" },
    givenName: { get: (u) => u.givenName, filter: "string" },
    jobTitle: { get: (u) => u.jobTitle, filter: "string" },
    mail: { get: (u) => u.userPrincipalName, filter: "string" },
    mobilePhone: { get: () => null },
    officeLocation: { get: (u) => u.officeLocation },
    preferredLanguage: { get: () => "en-US" },
    surname: { get: (u) => u.surname, filter: "string" },
    userPrincipalName: { get: (u) => u.userPrincipalName, filter: "string" },
    accountEnabled: { get: (u) => u.accountEnabled, filter: "bool" },
    department: { get: (u) => u.department, filter: "string" },
    companyName: { get: () => "Contoso" },
    usageLocation: { get: () => "US" },
    userType: { get: () => "Member" },
  },
  defaults: [
    "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage",
    "surname", "userPrincipalName", "id",
  ],
  schema: USER_SCHEMA_PROPERTIES,
};

/** device.md's enrollmentType values ("Intune sets this property"), by how the device joined. */
function enrollmentTypeOf(d: DirDevice): string {
  if (platformOf(d.record) !== "Windows") return "userEnrollment";
  const join = joinTypeOf(d.record);
  return join === "azureADJoined" ? "windowsAzureADJoin" : join === "hybridAzureADJoined" ? "windowsAutoEnrollment" : "userEnrollment";
}

const OS_NAMES: Record<string, string> = { Windows: "Windows", iOS: "iOS", Android: "AndroidEnterprise", macOS: "MacMDM" };
const TRUST: Record<string, string> = { azureADJoined: "AzureAd", hybridAzureADJoined: "ServerAd", azureADRegistered: "Workplace" };

export function deviceShape(fleet: Fleet): Shape<DirDevice> {
  return {
    typeName: "device",
    resource: "Device",
    props: {
      id: { get: (d) => d.id, filter: "string" },
      deletedDateTime: { get: () => null },
      accountEnabled: { get: () => true, filter: "bool" },
      alternativeSecurityIds: { get: () => [] },
      approximateLastSignInDateTime: { get: (d, now) => iso(fleet.lastSyncMs(d.record, now)) },
      complianceExpirationDateTime: { get: () => null },
      deviceCategory: { get: () => null },
      deviceId: { get: (d) => d.deviceId, filter: "string" },
      deviceMetadata: { get: () => null },
      deviceOwnership: { get: (d) => (d.record.ownerType === "company" ? "Company" : "Personal") },
      deviceVersion: { get: () => 2 },
      displayName: { get: (d) => d.record.deviceName, filter: "string" },
      enrollmentProfileName: { get: (d) => fleet.enrollmentProfileName(d.record) },
      enrollmentType: { get: (d) => (d.record.deleted ? null : enrollmentTypeOf(d)) },
      isCompliant: { get: (d) => d.record.complianceState === "compliant" },
      isManaged: { get: (d) => !d.record.deleted },
      isManagementRestricted: { get: () => null },
      isRooted: { get: () => false },
      managementType: { get: (d) => (d.record.deleted ? null : "MDM") },
      manufacturer: { get: (d) => modelOf(d.record).manufacturer },
      mdmAppId: { get: (d) => (d.record.deleted ? null : INTUNE_APP_ID) },
      model: { get: (d) => modelOf(d.record).model },
      onPremisesLastSyncDateTime: { get: (d) => (joinTypeOf(d.record) === "hybridAzureADJoined" ? iso(d.record.enrolledMs) : null) },
      onPremisesSecurityIdentifier: { get: () => null },
      onPremisesSyncEnabled: { get: (d) => (joinTypeOf(d.record) === "hybridAzureADJoined" ? true : null) },
      operatingSystem: { get: (d) => OS_NAMES[platformOf(d.record)] ?? platformOf(d.record), filter: "string" },
      operatingSystemVersion: { get: (d) => d.record.osVersion, filter: "string" },
      physicalIds: { get: (d) => (autopilotEnrolledOf(d.record) ? [`[ZTDId]:${fleet.autopilotId(d.record)}`] : []) },
      profileType: { get: () => "RegisteredDevice" },
      registrationDateTime: { get: (d) => iso(d.record.enrolledMs) },
      systemLabels: { get: () => [] },
      trustType: { get: (d) => TRUST[joinTypeOf(d.record)] ?? null, filter: "string" },
    },
    schema: DEVICE_SCHEMA_PROPERTIES,
  };
}

export const GROUP_SHAPE: Shape<DirGroup> = {
  typeName: "group",
  resource: "Group",
  props: {
    id: { get: (g) => g.id, filter: "string" },
    deletedDateTime: { get: () => null },
    classification: { get: () => null },
    createdDateTime: { get: (g) => iso(g.createdMs) },
    description: { get: (g) => g.description },
    displayName: { get: (g) => g.displayName, filter: "string" },
    groupTypes: { get: (g) => (g.membershipRule ? ["DynamicMembership"] : []) },
    isAssignableToRole: { get: () => null },
    expirationDateTime: { get: () => null },
    mail: { get: () => null },
    mailEnabled: { get: () => false, filter: "bool" },
    mailNickname: { get: (g) => g.mailNickname, filter: "string" },
    membershipRule: { get: (g) => g.membershipRule },
    membershipRuleProcessingState: { get: (g) => (g.membershipRule ? "On" : null) },
    onPremisesDomainName: { get: () => null },
    onPremisesLastSyncDateTime: { get: () => null },
    onPremisesNetBiosName: { get: () => null },
    onPremisesSamAccountName: { get: () => null },
    onPremisesSecurityIdentifier: { get: () => null },
    onPremisesSyncEnabled: { get: () => null },
    preferredDataLocation: { get: () => null },
    preferredLanguage: { get: () => null },
    proxyAddresses: { get: () => [] },
    renewedDateTime: { get: (g) => iso(g.createdMs) },
    resourceBehaviorOptions: { get: () => [] },
    resourceProvisioningOptions: { get: () => [] },
    securityEnabled: { get: () => true, filter: "bool" },
    securityIdentifier: { get: (g) => `S-1-12-1-${parseInt(g.id.slice(0, 8), 16)}-${parseInt(g.id.slice(9, 13), 16)}` },
    theme: { get: () => null },
    visibility: { get: () => null },
    onPremisesProvisioningErrors: { get: () => [] },
    serviceProvisioningErrors: { get: () => [] },
  },
  // group-get.md's example answer, in its order (creationOptions, which Graph also writes, is not in the schema).
  defaults: [
    "id", "deletedDateTime", "classification", "createdDateTime", "description", "displayName", "expirationDateTime", "groupTypes",
    "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule", "membershipRuleProcessingState", "onPremisesDomainName",
    "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
    "preferredDataLocation", "preferredLanguage", "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
    "securityEnabled", "securityIdentifier", "theme", "visibility", "onPremisesProvisioningErrors", "serviceProvisioningErrors",
  ],
  schema: GROUP_SCHEMA_PROPERTIES,
};

/** Writes one object: the $select names it has (id always first), else its default set. */
export function write<Row>(shape: Shape<Row>, row: Row, select: readonly string[] | undefined, now: number): Record<string, Value> {
  const names = select ? ["id", ...select.filter((n) => n !== "id")] : shape.defaults ?? Object.keys(shape.props);
  const out: Record<string, Value> = {};
  for (const name of names) {
    const p = shape.props[name];
    if (p) out[name] = p.get(row, now);
    else if (select && shape.schema.includes(name)) out[name] = null;
  }
  return out;
}

/**
 * An object in a directoryObject collection: `@odata.type` first. Without permission to read its type it carries its
 * id and nulls only (graph-docs: "Limited information returned for inaccessible member objects").
 */
export function writeMember(obj: DirObject, shapes: MemberShapes, select: readonly string[] | undefined, now: number, readable: boolean): Record<string, Value> {
  const head = { "@odata.type": `#microsoft.graph.${obj.kind}` };
  const body = writeAs(obj, shapes, select, now);
  if (readable) return { ...head, ...body };
  return { ...head, ...Object.fromEntries(Object.keys(body).map((k) => [k, k === "id" ? obj.id : null])) };
}

export interface MemberShapes {
  user: Shape<DirUser>;
  device: Shape<DirDevice>;
  group: Shape<DirGroup>;
}

/**
 * What $filter and $search read on a member list that is not cast to one type (group-list-transitivemembers.md:
 * "$search on the displayName and description properties"): every member's id and displayName, a group's description.
 */
export function memberQueryShape(shapes: MemberShapes): Shape<DirObject> {
  const of = (m: DirObject) => shapes[m.kind] as Shape<DirObject>;
  return {
    typeName: "directoryObject",
    resource: "DirectoryObject",
    props: {
      id: { get: (m) => m.id, filter: "string" },
      displayName: { get: (m, now) => of(m).props.displayName!.get(m, now), filter: "string" },
      description: { get: (m) => (m.kind === "group" ? m.description : null) },
    },
    schema: ["id", "deletedDateTime"],
  };
}

function writeAs(obj: DirObject, shapes: MemberShapes, select: readonly string[] | undefined, now: number): Record<string, Value> {
  if (obj.kind === "user") return write(shapes.user, obj, select, now);
  if (obj.kind === "device") return write(shapes.device, obj, select, now);
  return write(shapes.group, obj, select, now);
}
