"use server";
/**
 * Server actions for the ticket's directory sources (docs/product.md, "Journey 7: start from what the ticket names"):
 * find a person or an Entra group, and read the Windows devices they name for the bulk preflight. Each is one call,
 * its Graph reads side by side inside it (Next dispatches a client's actions one at a time).
 *
 * The directory scopes are asked for incrementally (lib/auth/scopes.ts PERSON_SOURCE_SCOPES, GROUP_SOURCE_SCOPES). A
 * token without them is answered with the consent sentence before anything reaches Graph.
 */
import { z } from "zod";
import { GUID_PATTERN } from "@/lib/devices/ids";
import { hasScope, SCOPE_NAMES, type ScopeName } from "@/lib/auth/scopes";
import {
  checkDirectorySearch,
  getGroup,
  getUser,
  groupDevices,
  personDevices,
  searchGroups,
  searchUsers,
  type DirectoryGroup,
  type DirectoryUser,
  type SourceDevices,
} from "@/lib/graph/directory";
import { DIRECTORY_ERRORS, directoryConsentError } from "@/lib/graph/errors";
import { scopesInToken } from "@/lib/graph/permissions";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

const searchSchema = z.object({
  search: z
    .string({ message: "The search must be text." })
    .max(1_000, { message: "The search is far too long." })
    .transform((raw, ctx) => {
      const checked = checkDirectorySearch(raw);
      if (!checked.ok) {
        ctx.addIssue({ code: "custom", message: checked.message });
        return z.NEVER;
      }
      return checked.text;
    }),
});

const userIdSchema = z.object({
  userId: z.string({ message: "A user id is required." }).regex(GUID_PATTERN, { message: "A user id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e." }),
});

const groupIdSchema = z.object({
  groupId: z.string({ message: "A group id is required." }).regex(GUID_PATTERN, { message: "A group id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e." }),
});

/** Refuses, before Graph is called, a token whose scp says the tenant never granted a scope this source needs. */
function requireScopes(accessToken: string, names: readonly ScopeName[]): void {
  const granted = scopesInToken(accessToken);
  if (!granted) return; // An unreadable token: Graph's own refusal is worded instead.
  const missing = names.find((name) => !hasScope(granted, name));
  if (missing) throw new ActionFailure(directoryConsentError(missing));
}

export type FoundUsers = { users: DirectoryUser[] };
export type FoundGroups = { groups: DirectoryGroup[] };
export type PersonDevicesAnswer = { user: DirectoryUser; source: SourceDevices };
export type GroupDevicesAnswer = { group: DirectoryGroup; source: SourceDevices };
export type DirectoryAccess = { granted: true };

const PERSON_SCOPES = [SCOPE_NAMES.readUsersBasic] as const;
const GROUP_SCOPES = [SCOPE_NAMES.readGroupMembers, SCOPE_NAMES.readDirectoryDevices] as const;

/** People whose display name or user principal name starts with the search (at most 20). */
export async function findUsers(accessToken: string, input: unknown): Promise<ActionResult<FoundUsers>> {
  return runAction(
    {
      name: "findUsers",
      input: searchSchema,
      errors: DIRECTORY_ERRORS.users,
      handler: async ({ search }, { graph, accessToken: token }) => {
        requireScopes(token, PERSON_SCOPES);
        return { users: await searchUsers(graph, search) };
      },
    },
    accessToken,
    input,
  );
}

/** A person and their devices: the Windows devices in Intune to preflight, and those left out and why. */
export async function readPersonDevices(accessToken: string, input: unknown): Promise<ActionResult<PersonDevicesAnswer>> {
  return runAction(
    {
      name: "readPersonDevices",
      input: userIdSchema,
      errors: DIRECTORY_ERRORS.users,
      handler: async ({ userId }, { graph, graphBaseUrl, accessToken: token }) => {
        requireScopes(token, PERSON_SCOPES);
        const [user, source] = await Promise.all([getUser(graph, userId), personDevices(graph, userId, graphBaseUrl)]);
        return { user, source };
      },
    },
    accessToken,
    input,
  );
}

/** Entra groups whose display name starts with the search (at most 20). */
export async function findGroups(accessToken: string, input: unknown): Promise<ActionResult<FoundGroups>> {
  return runAction(
    {
      name: "findGroups",
      input: searchSchema,
      errors: DIRECTORY_ERRORS.groups,
      handler: async ({ search }, { graph, accessToken: token }) => {
        requireScopes(token, GROUP_SCOPES);
        return { groups: await searchGroups(graph, search) };
      },
    },
    accessToken,
    input,
  );
}

/** A group and its transitive device members matched to Intune, with the members ignored and the devices left out. */
export async function readGroupDevices(accessToken: string, input: unknown): Promise<ActionResult<GroupDevicesAnswer>> {
  return runAction(
    {
      name: "readGroupDevices",
      input: groupIdSchema,
      errors: DIRECTORY_ERRORS.groupMembers,
      handler: async ({ groupId }, { graph, graphBaseUrl, accessToken: token }) => {
        requireScopes(token, GROUP_SCOPES);
        const [group, source] = await Promise.all([getGroup(graph, groupId), groupDevices(graph, groupId, graphBaseUrl)]);
        return { group, source };
      },
    },
    accessToken,
    input,
  );
}

/**
 * Whether the token carries a source's directory scopes, asked when the source is opened (no Graph call): the source
 * then says at once that an admin must grant them, instead of after the first search.
 */
export async function checkDirectoryAccess(accessToken: string, input: unknown): Promise<ActionResult<DirectoryAccess>> {
  return runAction(
    {
      name: "checkDirectoryAccess",
      input: z.object({ source: z.enum(["person", "group"], { message: "Unknown source." }) }),
      handler: async ({ source }, { accessToken: token }) => {
        requireScopes(token, source === "person" ? PERSON_SCOPES : GROUP_SCOPES);
        return { granted: true as const };
      },
    },
    accessToken,
    input,
  );
}
