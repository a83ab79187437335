/**
 * What an Autopilot Reset removes, reapplies and keeps, and what it needs, in the console's words (docs/graph.md,
 * "Autopilot Reset" and "When Autopilot Reset cannot work", from the Autopilot Reset articles).
 */
const RESET_REMOVES = [
  "The primary user: the next person who signs in becomes the primary user.",
  "Personal files, apps and settings.",
];
const RESET_REAPPLIES = ["The device's original settings.", "Region, language and keyboard: back to their original values."];
const RESET_KEEPS = [
  "Wi-Fi connection details.",
  "Provisioning packages already applied to the device, and one on a USB drive plugged in when the reset starts.",
  "Its Microsoft Entra ID membership and Intune enrollment (it stays joined and managed).",
  "SCEP certificates.",
];
const RESET_NEEDS = [
  "A Microsoft Entra joined device registered with Windows Autopilot (not hybrid joined).",
  "The Windows Recovery Environment (WinRE) enabled on the device: without it the reset fails; reagentc.exe /enable turns it on.",
];

function EffectList({ title, items }: { title: string; items: readonly string[] }) {
  return (
    <div>
      <h3 className="font-semibold">{title}</h3>
      <ul className="ml-5 list-disc">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

/** The lists every reset confirmation shows, for one device or many. */
export function ResetEffects({ className }: { className?: string }) {
  return (
    <div className={className}>
      <EffectList title="It removes" items={RESET_REMOVES} />
      <EffectList title="It reapplies" items={RESET_REAPPLIES} />
      <EffectList title="It keeps" items={RESET_KEEPS} />
      <EffectList title="It needs" items={RESET_NEEDS} />
      <p className="sm:col-span-2">
        Afterwards, whoever signs in next reaches the desktop once provisioning packages are reapplied and the device has
        synced with Intune.
      </p>
    </div>
  );
}
