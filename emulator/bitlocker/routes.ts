/**
 * BitLocker recovery keys (v1.0 and beta; docs/graph.md, "BitLocker recovery keys"):
 *
 *   GET /informationProtection/bitlocker/recoveryKeys[?$filter=deviceId eq '{deviceId}']   id, createdDateTime, deviceId,
 *       volumeType; never the key. BitlockerKey.ReadBasic.All or BitlockerKey.Read.All.
 *   GET /informationProtection/bitlocker/recoveryKeys/{id}[?$select=key]   the key only with $select=key, which needs
 *       BitlockerKey.Read.All. Every key read is counted (counters.bitlockerKeyReads, per deviceId).
 *
 * Both also need the signed-in user to hold an Entra role of BITLOCKER_KEY_ROLES or to be the device's registered owner
 * (no persona owns a device); otherwise 403. Without a scope: the directory's 403 Authorization_RequestDenied.
 */
import { json, type Reply } from "../http";
import { bump, type EmulatorState } from "../state";
import { mayReadBitlockerKeys, SCOPES } from "../tenant";
import type { Route } from "../graph/routes";
import { graphError } from "../graph/errors";
import { context, GUID, type GraphCall } from "../graph/call";
import { denied } from "../directory/list";
import { recoveryKeysOf, type RecoveryKey } from "./keys";

const BASE = "^/informationProtection/bitlocker/recoveryKeys";
const EITHER = [SCOPES.bitlockerReadBasic, SCOPES.bitlockerRead];
const FILTER = /^\s*deviceId\s+eq\s+'([^']*)'\s*$/i;

/** The user holds no role that may read keys and owns no device: 403 (the exact wording is UNVERIFIED). */
function roleRefusal(call: GraphCall): Reply | undefined {
  if (mayReadBitlockerKeys(call.auth.persona)) return undefined;
  return graphError(403, "Authorization_RequestDenied", "Failed to authorize: the user is neither the registered owner of the device nor holds a role that may read BitLocker keys.", call.ctx);
}

function serialize(k: RecoveryKey, withKey: boolean): Record<string, unknown> {
  return {
    id: k.id, createdDateTime: new Date(k.createdMs).toISOString(), deviceId: k.deviceId, volumeType: k.volumeType,
    ...(withKey ? { key: k.key } : {}),
  };
}

function listKeys(state: EmulatorState, call: GraphCall): Reply {
  const refused = roleRefusal(call);
  if (refused) return refused;
  const filter = call.query.get("$filter");
  const keys = recoveryKeysOf(state.fleet);
  let rows: RecoveryKey[];
  if (filter === null) rows = keys.all();
  else {
    const m = FILTER.exec(filter);
    if (!m) return graphError(400, "BadRequest", "Invalid filter clause: only deviceId eq '{id}' is supported.", call.ctx);
    rows = keys.ofDevice(m[1]!);
  }
  return json(200, { "@odata.context": context(call, "informationProtection/bitlocker/recoveryKeys"), value: rows.map((k) => serialize(k, false)) });
}

function getKey(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const refused = roleRefusal(call);
  if (refused) return refused;
  const select = (call.query.get("$select") ?? "").split(",").map((s) => s.trim().toLowerCase());
  const withKey = select.includes("key");
  if (withKey && !call.auth.scopes.has(SCOPES.bitlockerRead)) return denied(call);
  const id = params[0]!.replace(/^\('?|'?\)$/g, "");
  const key = GUID.test(id) ? recoveryKeysOf(state.fleet).get(id) : undefined;
  if (!key) return graphError(404, "NotFound", `The BitLocker recovery key '${id}' was not found.`, call.ctx);
  if (withKey) bump(state.counters.bitlockerKeyReads, key.deviceId);
  return json(200, { "@odata.context": `${context(call, "informationProtection/bitlocker/recoveryKeys")}/$entity`, ...serialize(key, withKey) });
}

export const BITLOCKER_ROUTES: Route[] = [
  { method: "GET", pattern: new RegExp(`${BASE}$`, "i"), scopes: EITHER, handle: listKeys, scopeRefusal: denied },
  { method: "GET", pattern: new RegExp(`${BASE}/([^/]+)$`, "i"), scopes: EITHER, handle: getKey, scopeRefusal: denied },
];
