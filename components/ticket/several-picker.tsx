"use client";
/**
 * The lines of a list that match more than one Intune record (docs/product.md, "Journey 7", the preflight's "several
 * devices"): two devices with one name, or one device re-enrolled, whose stale record last checked in weeks ago. Each
 * line's records are shown in full (name, serial, last check-in, primary user), newest check-in first, the newest
 * marked; nothing is ticked until the user picks, and nothing is sent for the line until then. Outside the virtualized
 * table, whose rows have one fixed height, so no choice is ever cut off, on a phone either.
 */
import { Upn } from "@/components/ui/upn";
import { formatWhen } from "@/lib/devices/format";
import { mostRecentId } from "@/lib/devices/ticket-answers";
import { useNow } from "@/lib/queries/use-now";
import type { PreflightRow } from "./preflight-rows";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export function pickAnchor(line: number): string {
  return `ticket-pick-line-${line}`;
}

export function SeveralPicker({ rows, onPick }: { rows: readonly PreflightRow[]; onPick: (key: string, deviceId: string) => void }) {
  const now = useNow(60_000);
  const lines = rows.filter((r) => r.choices && r.key && (r.status === "several" || r.match));
  if (lines.length === 0) return null;
  const open = lines.filter((r) => r.status === "several").length;
  return (
    <section aria-labelledby="ticket-several-heading" data-testid="ticket-several" className="flex flex-col gap-2 rounded border border-line p-3">
      <h4 id="ticket-several-heading" className="text-sm font-semibold">
        {open > 0 ? `Pick the device for ${plural(open, "line")}` : "Devices you picked"}
      </h4>
      <p className="text-sm text-muted">
        {plural(lines.length, "line")} of this list {lines.length === 1 ? "matches" : "match"} more than one Intune record. A device that was re-enrolled
        keeps its old record for a while: the record that checked in most recently is usually the one in use. Nothing is sent for a line until you pick.
      </p>
      {lines.map((r) => (
        <Choices key={r.key} row={r} now={now} onPick={onPick} />
      ))}
    </section>
  );
}

function Choices({ row, now, onPick }: { row: PreflightRow; now: Date; onPick: (key: string, deviceId: string) => void }) {
  const choices = row.choices!;
  const newest = mostRecentId(choices);
  const where = row.lastLine ? `Lines ${row.number}–${row.lastLine}` : `Line ${row.number}`;
  return (
    <fieldset id={pickAnchor(row.number)} data-testid="ticket-choices" data-line={row.number} className="min-w-0 scroll-mt-4 border-t border-line pt-2">
      <legend className="float-left mb-2 w-full text-sm">
        <span className="font-semibold">{where}</span>: <span className="break-all font-mono">“{row.text}”</span> matches {choices.length} records by{" "}
        {row.choiceBy ?? "this value"}
        {row.match ? "" : ": pick one"}.
      </legend>
      <ul className="clear-left grid grid-cols-1 gap-2 md:grid-cols-2">
        {choices.map((choice, index) => {
          const d = choice.device;
          const picked = row.match?.device.id === d.id;
          const id = `ticket-pick-${row.number}-${index}`;
          return (
            <li key={d.id} className="min-w-0">
              <label
                htmlFor={id}
                data-testid="ticket-choice"
                data-device-id={d.id}
                className={`flex h-full min-w-0 cursor-pointer items-start gap-2 rounded border p-2 text-sm ${picked ? "border-brand bg-selected" : "border-line-strong hover:border-brand"}`}
              >
                <input
                  id={id}
                  type="radio"
                  className="mt-1 shrink-0"
                  name={`ticket-pick-${row.key}`}
                  value={d.id}
                  checked={picked}
                  onChange={() => onPick(row.key!, d.id)}
                />
                <span className="flex min-w-0 flex-1 flex-col gap-1">
                  <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className="break-all font-semibold">{d.deviceName || d.id}</span>
                    {newest === d.id && (
                      <span className="rounded bg-info-bg px-1.5 py-0.5 text-xs font-semibold text-brand-text" data-testid="ticket-choice-newest">
                        Checked in most recently
                      </span>
                    )}
                  </span>
                  <span className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 gap-y-0.5 text-xs">
                    <span className="text-muted">Serial</span>
                    <span className="break-all font-mono" data-testid="ticket-choice-serial">
                      {d.serialNumber ?? "—"}
                    </span>
                    <span className="text-muted">Last check-in</span>
                    <span data-testid="ticket-choice-checkin">
                      {d.lastSyncDateTime ? <time dateTime={d.lastSyncDateTime}>{formatWhen(d.lastSyncDateTime, now)}</time> : "Never"}
                    </span>
                    <span className="text-muted">Primary user</span>
                    {d.userPrincipalName ? <Upn upn={d.userPrincipalName} /> : <span>None</span>}
                  </span>
                  {!choice.reset.allowed && <span className="text-xs text-warning">{choice.reset.message}</span>}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
