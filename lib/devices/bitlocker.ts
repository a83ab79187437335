/**
 * Words for the device page's "BitLocker recovery keys" section (docs/graph.md, "BitLocker recovery keys"). Pure.
 */
/** A BitLocker volume as Graph's bitlockerRecoveryKey.volumeType names it (unknownFutureValue and others: unknown). */
export type VolumeType = "operatingSystemVolume" | "fixedDataVolume" | "removableDataVolume" | "unknown";

const VOLUME_LABELS: Record<VolumeType, string> = {
  operatingSystemVolume: "Operating system drive",
  fixedDataVolume: "Fixed data drive",
  removableDataVolume: "Removable drive",
  unknown: "Drive of unknown type",
};

export function volumeLabel(volumeType: VolumeType): string {
  return VOLUME_LABELS[volumeType] ?? VOLUME_LABELS.unknown;
}

/**
 * A key id as BitLocker's recovery screen names it: the first 8 characters of the key id, upper case ("Key ID:
 * 1A2B3C4D"), which is what field staff read out from the device.
 */
export function shortKeyId(id: string): string {
  return id.slice(0, 8).toUpperCase();
}

export const NO_KEY_SENTENCE =
  "Microsoft Entra ID holds no BitLocker recovery key for this device: it may not be encrypted, or its key was never backed up to Entra ID. If the device shows a recovery prompt, look for the key in on-premises Active Directory or the user's Microsoft account, or ask your administrator.";

/** The sentence before an audited key read: who reads it and that Entra records when. */
export function auditSentence(who: string | undefined, deviceName: string): string {
  const reader = who ? `you (${who})` : "you";
  return `Reading this key is audited by Microsoft Entra ID: its audit log records that ${reader} read the BitLocker recovery key of ${deviceName}, and when. Show it only to unlock the device in front of you.`;
}
