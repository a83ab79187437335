/**
 * Every property of user, group and device in Graph v1.0 (msgraph-metadata schemas/type-mappings/v1.0-entity-types.json,
 * 2026-08), with the id and deletedDateTime they inherit. $select takes any of them (docs/graph.md, "Users, groups and
 * Entra devices"); a property the emulator does not model answers null.
 */
export const USER_SCHEMA_PROPERTIES: readonly string[] = [
  "id", "deletedDateTime", "aboutMe", "accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans",
  "authorizationInfo", "birthday", "businessPhones", "city", "companyName", "consentProvidedForMinor", "country",
  "createdDateTime", "creationType", "customSecurityAttributes", "department", "deviceEnrollmentLimit",
  "displayName", "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeOrgData", "employeeType",
  "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName", "hireDate", "identities",
  "identityParentId", "imAddresses", "interests", "isManagementRestricted", "isResourceAccount", "jobTitle",
  "lastPasswordChangeDateTime", "legalAgeGroupClassification", "licenseAssignmentStates", "mail", "mailboxSettings",
  "mailNickname", "mobilePhone", "mySite", "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName",
  "onPremisesExtensionAttributes", "onPremisesImmutableId", "onPremisesLastSyncDateTime",
  "onPremisesProvisioningErrors", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails", "passwordPolicies", "passwordProfile",
  "pastProjects", "postalCode", "preferredDataLocation", "preferredLanguage", "preferredName", "print",
  "provisionedPlans", "proxyAddresses", "responsibilities", "schools", "securityIdentifier",
  "serviceProvisioningErrors", "showInAddressList", "signInActivity", "signInSessionsValidFromDateTime", "skills",
  "state", "streetAddress", "surname", "usageLocation", "userPrincipalName", "userType",
];
export const GROUP_SCHEMA_PROPERTIES: readonly string[] = [
  "id", "deletedDateTime", "accessType", "allowExternalSenders", "assignedLabels", "assignedLicenses",
  "autoSubscribeNewMembers", "classification", "createdDateTime", "description", "displayName", "expirationDateTime",
  "groupTypes", "hasMembersWithLicenseErrors", "hideFromAddressLists", "hideFromOutlookClients", "infoCatalogs",
  "isArchived", "isAssignableToRole", "isFavorite", "isManagementRestricted", "isSubscribedByMail",
  "licenseProcessingState", "mail", "mailEnabled", "mailNickname", "membershipRule", "membershipRuleProcessingState",
  "onPremisesDomainName", "onPremisesExtensionAttributes", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
  "onPremisesProvisioningErrors", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled", "organizationId", "preferredDataLocation", "preferredLanguage", "proxyAddresses",
  "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions", "securityEnabled",
  "securityIdentifier", "serviceProvisioningErrors", "theme", "uniqueName", "unseenConversationsCount",
  "unseenCount", "unseenMessagesCount", "visibility", "welcomeMessageEnabled",
];
export const DEVICE_SCHEMA_PROPERTIES: readonly string[] = [
  "id", "deletedDateTime", "accountEnabled", "alternativeSecurityIds", "approximateLastSignInDateTime",
  "complianceExpirationDateTime", "deviceCategory", "deviceId", "deviceMetadata", "deviceOwnership", "deviceVersion",
  "displayName", "enrollmentProfileName", "enrollmentType", "isCompliant", "isManaged", "isManagementRestricted",
  "isRooted", "managementType", "manufacturer", "mdmAppId", "model", "onPremisesLastSyncDateTime",
  "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "operatingSystem", "operatingSystemVersion",
  "physicalIds", "profileType", "registrationDateTime", "systemLabels", "trustType",
];
