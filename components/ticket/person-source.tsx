"use client";
/**
 * "A person's devices" (docs/product.md, "Journey 7: start from what the ticket names"): find the person by name or
 * UPN, pick them, and take their Windows devices into the bulk flow. Opening this source is what asks for
 * User.ReadBasic.All (incremental consent); the URL keeps the chosen person (`?user=<id>`), never the devices.
 */
import { parseAsString, useQueryState } from "nuqs";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { isGuid } from "@/lib/devices/ids";
import { toActionError } from "@/lib/queries/action-failure";
import { useDirectoryAccess, usePersonDevices, useUserSearch } from "@/lib/queries/directory";
import { PersonGroupDevices, type PersonGroupDevicesProps } from "./person-group-devices";
import { PersonGroupSearch, useDebouncedSearch } from "./person-group-search";

export function PersonSource({ onChosen }: Pick<PersonGroupDevicesProps, "onChosen">) {
  const [userParam, setUserParam] = useQueryState("user", parseAsString.withOptions({ history: "push" }));
  const userId = userParam && isGuid(userParam) ? userParam : null;
  const access = useDirectoryAccess("person");
  const { raw, setRaw, search, problem } = useDebouncedSearch();
  const granted = access.data?.granted === true;
  const users = useUserSearch(search, granted && userId === null);
  const person = usePersonDevices(granted ? userId : null);

  return (
    <section aria-labelledby="person-source-title" className="flex flex-col gap-3" data-testid="person-source">
      <h2 id="person-source-title" className="text-base font-semibold">
        A person&apos;s devices
      </h2>
      {userParam !== null && userId === null && (
        <ErrorMessage error={{ kind: "invalid", message: "This link's user id is not a GUID. Search for the person instead." }} />
      )}
      {access.isPending && <p className="text-sm text-muted">Checking access to people in Microsoft Entra ID…</p>}
      {access.error && <ErrorMessage error={toActionError(access.error)} onRetry={() => void access.refetch()} />}
      {granted && userId === null && (
        <PersonGroupSearch
          label="Find a person by name or user principal name"
          placeholder="Start of a name or UPN, e.g. Adele or adelev@"
          raw={raw}
          onChange={setRaw}
          problem={problem}
          searching={users.isFetching}
          searched={search !== "" && users.isFetched}
          error={users.error}
          matches={users.data?.map((u) => ({ id: u.id, title: u.displayName, detail: u.userPrincipalName }))}
          noneFound="No person's name or user principal name starts with that."
          onPick={(id) => void setUserParam(id)}
        />
      )}
      {granted && userId !== null && (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-semibold break-all" data-testid="chosen-person">
              {person.data ? `${person.data.user.displayName}${person.data.user.userPrincipalName ? ` (${person.data.user.userPrincipalName})` : ""}` : "Reading this person's devices…"}
            </h3>
            <Button onClick={() => void setUserParam(null)}>Choose another person</Button>
          </div>
          {person.error && <ErrorMessage error={toActionError(person.error)} onRetry={() => void person.refetch()} />}
          {person.data && (
            <PersonGroupDevices
              source={person.data.source}
              ownerLabel={person.data.user.displayName}
              sourceText={`Person: ${person.data.user.userPrincipalName ?? person.data.user.displayName}`}
              onChosen={onChosen}
            />
          )}
        </div>
      )}
    </section>
  );
}
