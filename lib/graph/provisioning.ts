/**
 * The tenant's two lists of names that tell classic Windows Autopilot from Autopilot device preparation (docs/graph.md,
 * "Autopilot device preparation"):
 *
 *   GET /beta/deviceManagement/configurationPolicies?$select=id,name,templateReference   (device preparation policies:
 *       those of DEVICE_PREPARATION_TEMPLATE_IDS, kept here, since Graph's filter on it is not documented)
 *   GET /beta/deviceManagement/windowsAutopilotDeploymentProfiles?$select=id,displayName   (classic profiles)
 *
 * Read per page that shows a device; the send protocol keeps a read a minute per tenant and user
 * (lib/server/send/names-cache.ts). A tenant has tens of each.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { SCOPE_NAMES } from "@/lib/auth/scopes";
import type { ProvisioningNames } from "@/lib/devices/provisioning";
import { checkedGraphLink } from "./cursor";
import { mapGraphError } from "./errors";

/**
 * The device preparation templates: user-driven, and (UNVERIFIED, docs/graph.md "Autopilot device preparation") the
 * automatic one, treated as device preparation too since a wrong guess there only withholds a reset.
 */
export const DEVICE_PREPARATION_TEMPLATE_IDS: readonly string[] = ["80d33118-b7b4-40d8-b15f-81be745e053f_1", "a6157a7f-aa00-42d9-ac82-7d2479f545db_1"];
const POLICIES_PATH = "/deviceManagement/configurationPolicies";
const PROFILES_PATH = "/deviceManagement/windowsAutopilotDeploymentProfiles";
/** Pages read at most per list (a page is 100 or more items; no tenant has 2,000 profiles). */
const MAX_PAGES = 20;

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

async function readAll<T>(client: Client, graphBaseUrl: string, path: string, select: string[]): Promise<T[]> {
  const out: T[] = [];
  let page: Page<T> = await client.api(path).version("beta").select(select).get();
  for (let pages = 1; ; pages++) {
    out.push(...(page.value ?? []));
    const next = page["@odata.nextLink"];
    if (!next) return out;
    if (pages >= MAX_PAGES) throw new RangeError(`${path} has more than ${MAX_PAGES} pages.`);
    page = await client.api(checkedGraphLink(next, graphBaseUrl, `/beta${path}`).slice("/beta".length)).version("beta").get();
  }
}

/** Both lists, or why they could not be read (a sentence for "how it was provisioned is not known"). */
export async function readProvisioningNames(client: Client, graphBaseUrl: string): Promise<ProvisioningNames> {
  try {
    const [policies, profiles] = await Promise.all([
      readAll<{ name?: string | null; templateReference?: { templateId?: string | null } | null }>(client, graphBaseUrl, POLICIES_PATH, ["id", "name", "templateReference"]),
      readAll<{ displayName?: string | null }>(client, graphBaseUrl, PROFILES_PATH, ["id", "displayName"]),
    ]);
    return {
      kind: "read",
      devicePreparationPolicies: policies
        .filter((p) => DEVICE_PREPARATION_TEMPLATE_IDS.includes(p.templateReference?.templateId?.toLowerCase() ?? ""))
        .map((p) => p.name ?? "")
        .filter(Boolean),
      autopilotProfiles: profiles.map((p) => p.displayName ?? "").filter(Boolean),
    };
  } catch (error) {
    const mapped = mapGraphError(error, {
      operation: "read the tenant's Autopilot profiles and device preparation policies",
      requiredScope: SCOPE_NAMES.readConfiguration,
    });
    const refused = mapped.kind === "forbidden-consent" || mapped.kind === "forbidden-role";
    return {
      kind: "unreadable",
      lasting: refused,
      why: `the console could not read the tenant's Autopilot profiles and device preparation policies (${mapped.message.replace(/\.$/, "")}).`,
    };
  }
}
