/**
 * BitLocker recovery keys escrowed to Microsoft Entra ID (docs/graph.md, "BitLocker recovery keys"), v1.0:
 *
 *   GET /informationProtection/bitlocker/recoveryKeys?$filter=deviceId eq '{azureADDeviceId}'   the device's keys,
 *       without the key (BitlockerKey.ReadBasic.All)
 *   GET /informationProtection/bitlocker/recoveryKeys/{id}?$select=key   the key itself (BitlockerKey.Read.All); every
 *       read is audited by Entra (KeyManagement)
 *
 * Both need the signed-in user to hold a supported Entra role or to own the device. The docs require User-Agent and
 * recommend ocp-client-name / ocp-client-version: all three name the console. The key is returned to the caller and
 * nowhere else: never logged, never cached.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { isGuid } from "@/lib/devices/ids";
import type { VolumeType } from "@/lib/devices/bitlocker";

const KEYS_PATH = "/informationProtection/bitlocker/recoveryKeys";
const CLIENT_NAME = "Autopilot Reset Console";
const CLIENT_VERSION = "0.1.0";
export const BITLOCKER_HEADERS = {
  "User-Agent": `AutopilotResetConsole/${CLIENT_VERSION}`,
  "ocp-client-name": CLIENT_NAME,
  "ocp-client-version": CLIENT_VERSION,
} as const;


export interface RecoveryKeySummary {
  id: string;
  createdDateTime: string | null;
  /** The Entra device id (the managed device's azureADDeviceId). */
  deviceId: string;
  volumeType: VolumeType;
}

interface RawKey {
  id?: string | null;
  createdDateTime?: string | null;
  deviceId?: string | null;
  volumeType?: string | number | null;
  key?: string | null;
}

/** Graph documents volumeType as an enum; older answers carried its number (1, 2, 3). */
function volumeTypeOf(raw: RawKey["volumeType"]): VolumeType {
  const v = String(raw ?? "");
  if (v === "operatingSystemVolume" || v === "1") return "operatingSystemVolume";
  if (v === "fixedDataVolume" || v === "2") return "fixedDataVolume";
  if (v === "removableDataVolume" || v === "3") return "removableDataVolume";
  return "unknown";
}

function summary(raw: RawKey): RecoveryKeySummary | undefined {
  if (!raw.id || !raw.deviceId) return undefined;
  return { id: raw.id, createdDateTime: raw.createdDateTime ?? null, deviceId: raw.deviceId, volumeType: volumeTypeOf(raw.volumeType) };
}

/** The keys Entra holds for one device (by its Entra deviceId), without the key; oldest first. */
export async function listRecoveryKeys(client: Client, azureADDeviceId: string): Promise<RecoveryKeySummary[]> {
  if (!isGuid(azureADDeviceId)) throw new TypeError("An Entra device id must be a GUID.");
  const answer: { value?: RawKey[] } = await client
    .api(KEYS_PATH)
    .version("v1.0")
    .headers(BITLOCKER_HEADERS)
    .filter(`deviceId eq '${azureADDeviceId.toLowerCase()}'`)
    .get();
  return (answer.value ?? [])
    .map(summary)
    .filter((k): k is RecoveryKeySummary => k !== undefined && k.deviceId.toLowerCase() === azureADDeviceId.toLowerCase())
    .sort((a, b) => (a.createdDateTime ?? "").localeCompare(b.createdDateTime ?? ""));
}

export interface RecoveryKey {
  id: string;
  /** The Entra device id, when Graph's answer carries it. */
  deviceId: string | null;
  key: string;
}

/** One key, with the key itself (an audited read). A 404 means the key is unknown or was removed. */
export async function readRecoveryKey(client: Client, keyId: string): Promise<RecoveryKey> {
  if (!isGuid(keyId)) throw new TypeError("A BitLocker recovery key id must be a GUID.");
  const raw: RawKey = await client.api(`${KEYS_PATH}/${keyId}`).version("v1.0").headers(BITLOCKER_HEADERS).select("key").get();
  if (typeof raw.key !== "string" || raw.key === "") throw new TypeError("Graph answered the key read without a key.");
  return { id: raw.id ?? keyId, deviceId: raw.deviceId ?? null, key: raw.key };
}
