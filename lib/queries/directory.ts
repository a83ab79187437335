"use client";
/**
 * The ticket's directory sources in the browser (docs/product.md, "Journey 7: start from what the ticket names"): the
 * access check when a source opens (which asks for its directory scopes, incrementally), the person and group
 * searches, and the devices a chosen person or group names. Every token comes from useDirectoryAccessToken, so the
 * sign-in never asks for these scopes and a user who never opens a source is never asked.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { checkDirectoryAccess, findGroups, findUsers, readGroupDevices, readPersonDevices } from "@/lib/actions/directory";
import { GROUP_SOURCE_SCOPES, PERSON_SOURCE_SCOPES } from "@/lib/auth/scopes";
import { useDirectoryAccessToken } from "@/lib/auth/use-access-token";
import { unwrap } from "./action-failure";
import { queryKeys } from "./keys";
import { useAccountId } from "./use-account-id";

export type DirectorySource = "person" | "group";

/** Under the account's prefix (lib/queries/keys.ts), so another admin in the tab never sees these answers. */
const directoryKeys = {
  all: (accountId: string) => [...queryKeys.account(accountId), "directory"] as const,
  access: (accountId: string, source: DirectorySource) => [...directoryKeys.all(accountId), source, "access"] as const,
  search: (accountId: string, source: DirectorySource, search: string) => [...directoryKeys.all(accountId), source, "search", search] as const,
  devices: (accountId: string, source: DirectorySource, id: string) => [...directoryKeys.all(accountId), source, "devices", id] as const,
};

function useSourceToken(source: DirectorySource): () => Promise<string> {
  return useDirectoryAccessToken(source === "person" ? PERSON_SOURCE_SCOPES : GROUP_SOURCE_SCOPES);
}

/** Asked once when a source opens: gets its scopes (consent round trip if needed) and says whether the tenant granted them. */
export function useDirectoryAccess(source: DirectorySource) {
  const getToken = useSourceToken(source);
  const accountId = useAccountId();
  return useQuery({
    queryKey: directoryKeys.access(accountId, source),
    enabled: accountId !== "",
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await checkDirectoryAccess(await getToken(), { source })),
  });
}

/** People whose name or UPN starts with `search` (already debounced and trimmed by the caller). */
export function useUserSearch(search: string, enabled: boolean) {
  const getToken = useSourceToken("person");
  const accountId = useAccountId();
  return useQuery({
    queryKey: directoryKeys.search(accountId, "person", search),
    enabled: enabled && accountId !== "" && search !== "",
    placeholderData: keepPreviousData,
    queryFn: async () => unwrap(await findUsers(await getToken(), { search })).users,
  });
}

export function useGroupSearch(search: string, enabled: boolean) {
  const getToken = useSourceToken("group");
  const accountId = useAccountId();
  return useQuery({
    queryKey: directoryKeys.search(accountId, "group", search),
    enabled: enabled && accountId !== "" && search !== "",
    placeholderData: keepPreviousData,
    queryFn: async () => unwrap(await findGroups(await getToken(), { search })).groups,
  });
}

/** The chosen person and the devices they name (fresh records: the preflight reads them again before any send). */
export function usePersonDevices(userId: string | null) {
  const getToken = useSourceToken("person");
  const accountId = useAccountId();
  return useQuery({
    queryKey: directoryKeys.devices(accountId, "person", userId ?? ""),
    enabled: accountId !== "" && userId !== null,
    staleTime: 0,
    queryFn: async () => unwrap(await readPersonDevices(await getToken(), { userId })),
  });
}

export function useGroupDevices(groupId: string | null) {
  const getToken = useSourceToken("group");
  const accountId = useAccountId();
  return useQuery({
    queryKey: directoryKeys.devices(accountId, "group", groupId ?? ""),
    enabled: accountId !== "" && groupId !== null,
    staleTime: 0,
    queryFn: async () => unwrap(await readGroupDevices(await getToken(), { groupId })),
  });
}
