"use server";
/**
 * BitLocker recovery keys on the device page (docs/graph.md, "BitLocker recovery keys"). The browser names the managed
 * device and, to show one, a key id; the server re-reads the device on every call and takes its azureADDeviceId from
 * Intune itself, and shows a key only when Entra lists it for that device. The key goes back in this one answer and
 * nowhere else: never logged, never stored.
 */
import { z } from "zod";
import type { Client } from "@microsoft/microsoft-graph-client";
import { hasScope, SCOPE_NAMES, type ScopeName } from "@/lib/auth/scopes";
import { GUID_PATTERN, isDeviceId } from "@/lib/devices/ids";
import { listRecoveryKeys, readRecoveryKey, type RecoveryKeySummary } from "@/lib/graph/bitlocker";
import { getManagedDevice } from "@/lib/graph/device-record";
import { BITLOCKER_ERRORS, directoryConsentError, mapGraphError, NO_SUCH_DEVICE, READ_DEVICES_ERRORS } from "@/lib/graph/errors";
import { scopesInToken } from "@/lib/graph/permissions";
import { ActionFailure, type ActionResult } from "@/lib/result";
import { runAction } from "./define-action";

export interface BitlockerKeyList {
  keys: RecoveryKeySummary[];
}

export interface ShownBitlockerKey {
  keyId: string;
  key: string;
}

const deviceInput = z.object({ deviceId: z.string().max(1_000) });
const keyInput = z.object({
  deviceId: z.string().max(1_000),
  keyId: z.string({ message: "A key id is required." }).regex(GUID_PATTERN, { message: "A BitLocker recovery key id is a GUID." }),
});

/** Refuses, before Graph is called, a token whose scp says the tenant never granted the scope. */
function requireScope(accessToken: string, name: ScopeName): void {
  const granted = scopesInToken(accessToken);
  if (granted && !hasScope(granted, name)) throw new ActionFailure(directoryConsentError(name));
}

/** The managed device, read again, and its Entra device id: Windows, and joined or registered in Entra ID. */
async function entraDeviceIdOf(graph: Client, deviceId: string): Promise<string> {
  if (!isDeviceId(deviceId)) throw new ActionFailure({ kind: "not-found", message: NO_SUCH_DEVICE });
  let device;
  try {
    device = await getManagedDevice(graph, deviceId);
  } catch (error) {
    throw new ActionFailure(mapGraphError(error, { ...READ_DEVICES_ERRORS, notFoundMessage: NO_SUCH_DEVICE }));
  }
  if ((device.operatingSystem ?? "").toLowerCase() !== "windows") {
    throw new ActionFailure({ kind: "invalid", message: "BitLocker recovery keys are kept for Windows devices only." });
  }
  if (!device.azureADDeviceId || !GUID_PATTERN.test(device.azureADDeviceId) || /^0{8}-/.test(device.azureADDeviceId)) {
    throw new ActionFailure({
      kind: "invalid",
      message: "Intune names no Microsoft Entra device for this device, so Entra ID holds no BitLocker key for it here. Look the device up in the Entra admin center.",
    });
  }
  return device.azureADDeviceId;
}

/** The keys Entra ID holds for the device, without the keys themselves. */
export async function listBitlockerKeys(accessToken: string, input: unknown): Promise<ActionResult<BitlockerKeyList>> {
  return runAction(
    {
      name: "listBitlockerKeys",
      input: deviceInput,
      errors: BITLOCKER_ERRORS.list,
      handler: async ({ deviceId }, { graph, accessToken: token }) => {
        requireScope(token, SCOPE_NAMES.readBitlockerBasic);
        const entraId = await entraDeviceIdOf(graph, deviceId);
        return { keys: await listRecoveryKeys(graph, entraId) };
      },
    },
    accessToken,
    input,
  );
}

/** One key of the device: an audited read, made only when Entra lists the key for this device's azureADDeviceId. */
export async function showBitlockerKey(accessToken: string, input: unknown): Promise<ActionResult<ShownBitlockerKey>> {
  return runAction(
    {
      name: "showBitlockerKey",
      input: keyInput,
      errors: BITLOCKER_ERRORS.key,
      handler: async ({ deviceId, keyId }, { graph, accessToken: token }) => {
        requireScope(token, SCOPE_NAMES.readBitlockerKeys);
        const entraId = await entraDeviceIdOf(graph, deviceId);
        const listed = await listRecoveryKeys(graph, entraId);
        if (!listed.some((k) => k.id.toLowerCase() === keyId.toLowerCase())) {
          throw new ActionFailure({ kind: "not-found", message: BITLOCKER_ERRORS.key.notFoundMessage });
        }
        const read = await readRecoveryKey(graph, keyId);
        if (read.deviceId && read.deviceId.toLowerCase() !== entraId.toLowerCase()) {
          throw new ActionFailure({ kind: "not-found", message: BITLOCKER_ERRORS.key.notFoundMessage });
        }
        return { keyId: read.id, key: read.key };
      },
    },
    accessToken,
    input,
  );
}
