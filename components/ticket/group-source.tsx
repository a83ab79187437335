"use client";
/**
 * "An Entra group's devices" (docs/product.md, "Journey 7: start from what the ticket names"): pick a group by name and
 * take its transitive device members that Intune manages as Windows devices into the bulk flow; members that are users
 * or other objects are counted and ignored. Opening this source asks for GroupMember.Read.All and Device.Read.All
 * (incremental consent); the URL keeps the chosen group (`?group=<id>`), never the devices.
 */
import { parseAsString, useQueryState } from "nuqs";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { isGuid } from "@/lib/devices/ids";
import { toActionError } from "@/lib/queries/action-failure";
import { useDirectoryAccess, useGroupDevices, useGroupSearch } from "@/lib/queries/directory";
import { PersonGroupDevices, type PersonGroupDevicesProps } from "./person-group-devices";
import { PersonGroupSearch, useDebouncedSearch } from "./person-group-search";

export function GroupSource({ onChosen }: Pick<PersonGroupDevicesProps, "onChosen">) {
  const [groupParam, setGroupParam] = useQueryState("group", parseAsString.withOptions({ history: "push" }));
  const groupId = groupParam && isGuid(groupParam) ? groupParam : null;
  const access = useDirectoryAccess("group");
  const { raw, setRaw, search, problem } = useDebouncedSearch();
  const granted = access.data?.granted === true;
  const groups = useGroupSearch(search, granted && groupId === null);
  const group = useGroupDevices(granted ? groupId : null);

  return (
    <section aria-labelledby="group-source-title" className="flex flex-col gap-3" data-testid="group-source">
      <h2 id="group-source-title" className="text-base font-semibold">
        An Entra group&apos;s devices
      </h2>
      {groupParam !== null && groupId === null && (
        <ErrorMessage error={{ kind: "invalid", message: "This link's group id is not a GUID. Search for the group instead." }} />
      )}
      {access.isPending && <p className="text-sm text-muted">Checking access to groups in Microsoft Entra ID…</p>}
      {access.error && <ErrorMessage error={toActionError(access.error)} onRetry={() => void access.refetch()} />}
      {granted && groupId === null && (
        <PersonGroupSearch
          label="Find a group by name"
          placeholder="Start of the group's name, e.g. Lab"
          raw={raw}
          onChange={setRaw}
          problem={problem}
          searching={groups.isFetching}
          searched={search !== "" && groups.isFetched}
          error={groups.error}
          matches={groups.data?.map((g) => ({ id: g.id, title: g.displayName, detail: g.description }))}
          noneFound="No group's name starts with that."
          onPick={(id) => void setGroupParam(id)}
        />
      )}
      {granted && groupId !== null && (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-semibold break-all" data-testid="chosen-group">
              {group.data ? group.data.group.displayName : "Reading this group's devices (members of nested groups included)…"}
            </h3>
            <Button onClick={() => void setGroupParam(null)}>Choose another group</Button>
          </div>
          {group.error && <ErrorMessage error={toActionError(group.error)} onRetry={() => void group.refetch()} />}
          {group.data && (
            <PersonGroupDevices source={group.data.source} ownerLabel={group.data.group.displayName} sourceText={`Group: ${group.data.group.displayName}`} onChosen={onChosen} />
          )}
        </div>
      )}
    </section>
  );
}
