/**
 * Beta windowsAutopilotDeploymentProfiles and configurationPolicies (settings catalog, device preparation policies
 * among them): list and get. Both lists are fixed per seed (fleet/enrollment.ts); docs/graph.md, "Autopilot device
 * preparation", says what a console reads from them.
 */
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import { CLASSIC_PROFILES, SETTINGS_CATALOG_POLICIES } from "../../fleet/enrollment";
import { badRequest, intuneNotFound } from "../errors";
import { context, parseId, type GraphCall } from "../call";
import { parseSelect } from "../odata";
import { POLICY_NAVIGATION, PROFILE_NAVIGATION, policyId, profileId } from "../resources/enrollment";
import { listReply } from "./list";

const PROFILES = "deviceManagement/windowsAutopilotDeploymentProfiles";
const POLICIES = "deviceManagement/configurationPolicies";
/** Field reports: the list answers 25 policies a page unless $top says otherwise (docs/graph.md, "Autopilot device preparation"). */
const POLICY_PAGE = 25;

const positions = (n: number) => ({ length: n, at: (i: number) => (i < n ? i : undefined) });

export function listProfiles(state: EmulatorState, call: GraphCall): Reply {
  const r = state.resources.enrollment;
  return listReply(state, call, {
    entitySet: PROFILES,
    schema: r.profileSchema,
    source: positions(CLASSIC_PROFILES.length),
    cacheKey: (filterText) => `profiles|${r.seed}|${filterText}`,
    serialize: (i, select) => r.profile(i, select),
    navigation: PROFILE_NAVIGATION,
  });
}

export function getProfile(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const r = state.resources.enrollment;
  const id = parseId(params[0]!);
  if (!id) return badRequest(`Invalid key value '${params[0]}' for the windowsAutopilotDeploymentProfiles segment.`, call.ctx);
  const i = CLASSIC_PROFILES.findIndex((_, k) => profileId(r.seed, k) === id);
  if (i < 0) return intuneNotFound(`windowsAutopilotDeploymentProfile '${id}'`, call.ctx, call.path);
  const select = parseSelect(call.query.get("$select"), r.profileSchema, PROFILE_NAVIGATION);
  return json(200, { "@odata.context": context(call, `${PROFILES}/$entity`), ...r.profile(i, select) });
}

export function listConfigurationPolicies(state: EmulatorState, call: GraphCall): Reply {
  const r = state.resources.enrollment;
  return listReply(state, call, {
    entitySet: POLICIES,
    schema: r.policySchema,
    source: positions(SETTINGS_CATALOG_POLICIES.length),
    cacheKey: (filterText) => `policies|${r.seed}|${filterText}`,
    serialize: (i, select) => r.policy(i, select),
    navigation: POLICY_NAVIGATION,
    defaultTop: POLICY_PAGE,
  });
}

export function getConfigurationPolicy(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const r = state.resources.enrollment;
  const id = parseId(params[0]!);
  if (!id) return badRequest(`Invalid key value '${params[0]}' for the configurationPolicies segment.`, call.ctx);
  const i = SETTINGS_CATALOG_POLICIES.findIndex((_, k) => policyId(r.seed, k) === id);
  if (i < 0) return intuneNotFound(`deviceManagementConfigurationPolicy '${id}'`, call.ctx, call.path);
  const select = parseSelect(call.query.get("$select"), r.policySchema, POLICY_NAVIGATION);
  return json(200, { "@odata.context": context(call, `${POLICIES}/$entity`), ...r.policy(i, select) });
}
