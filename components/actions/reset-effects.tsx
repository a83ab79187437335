/** What an Autopilot Reset removes and keeps, in the console's words (from Microsoft's Autopilot Reset documentation). */
const RESET_REMOVES = [
  "The primary user: the next person who signs in becomes the primary user.",
  "Personal files, apps and settings.",
  "Region, language and keyboard settings, which go back to their original values.",
];
const RESET_KEEPS = [
  "Wi-Fi connection details.",
  "Provisioning packages applied to the device.",
  "Its Microsoft Entra ID membership and Intune enrollment.",
  "SCEP certificates.",
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

/** The two lists every reset confirmation shows, for one device or many. */
export function ResetEffects({ className }: { className?: string }) {
  return (
    <div className={className}>
      <EffectList title="It removes" items={RESET_REMOVES} />
      <EffectList title="It keeps" items={RESET_KEEPS} />
    </div>
  );
}
