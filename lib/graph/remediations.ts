/**
 * Remediations on demand for WinRE (docs/graph.md, "Remediations on demand (WinRE)"), all beta:
 *
 *   GET  /deviceManagement/deviceHealthScripts?$select=id,displayName                 the tenant's packages
 *   GET  /deviceManagement/managedDevices/{id}/deviceHealthScriptStates               the device's run states
 *   POST /deviceManagement/managedDevices/{id}/initiateOnDemandProactiveRemediation   {scriptPolicyId}: 204
 *
 * Never creates, edits or deletes a package. The run is a write: the client never resends it (lib/graph/client).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { isDeviceId, isGuid } from "@/lib/devices/ids";
import type { HealthScriptRunState, HealthScriptSummary } from "@/lib/devices/winre";
import { checkedGraphLink } from "./cursor";
import { MANAGED_DEVICES_PATH } from "./device-record";

const SCRIPTS_PATH = "/deviceManagement/deviceHealthScripts";
/** Intune allows 200 packages a tenant (memdocs remediations.md); pages of 100 or more, so a few pages at most. */
const MAX_PAGES = 10;

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

function devicePath(deviceId: string): string {
  if (!isDeviceId(deviceId)) throw new TypeError("A managed device id must be a GUID.");
  return `${MANAGED_DEVICES_PATH}/${deviceId}`;
}

/** Every package's id and name; the name is matched here, not through $filter (docs/graph.md, "Querying"). */
export async function listHealthScripts(client: Client, graphBaseUrl: string): Promise<HealthScriptSummary[]> {
  const out: HealthScriptSummary[] = [];
  let page: Page<{ id?: string | null; displayName?: string | null }> = await client.api(SCRIPTS_PATH).version("beta").select(["id", "displayName"]).get();
  for (let pages = 1; ; pages++) {
    for (const s of page.value ?? []) if (s.id) out.push({ id: s.id, displayName: s.displayName ?? "" });
    const next = page["@odata.nextLink"];
    if (!next) return out;
    if (pages >= MAX_PAGES) throw new RangeError(`${SCRIPTS_PATH} has more than ${MAX_PAGES} pages.`);
    page = await client.api(checkedGraphLink(next, graphBaseUrl, `/beta${SCRIPTS_PATH}`).slice("/beta".length)).version("beta").get();
  }
}

interface RawPolicyState extends HealthScriptRunState {
  policyId?: string | null;
}

/** The device's state for one package, or undefined when the package never ran there. */
export async function readScriptState(client: Client, deviceId: string, policyId: string): Promise<HealthScriptRunState | undefined> {
  const answer: Page<RawPolicyState> = await client.api(`${devicePath(deviceId)}/deviceHealthScriptStates`).version("beta").get();
  const wanted = policyId.toLowerCase();
  return (answer.value ?? []).find((s) => (s.policyId ?? "").toLowerCase() === wanted);
}

/** POST initiateOnDemandProactiveRemediation: Intune answers 204 and pushes the run to the device. */
export async function startOnDemandRemediation(client: Client, deviceId: string, policyId: string): Promise<void> {
  if (!isGuid(policyId)) throw new TypeError("A script package id must be a GUID.");
  await client.api(`${devicePath(deviceId)}/initiateOnDemandProactiveRemediation`).version("beta").post({ scriptPolicyId: policyId });
}
