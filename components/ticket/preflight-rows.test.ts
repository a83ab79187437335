import { describe, expect, it } from "vitest";
import { FIXTURE_NOW, makeDevice } from "@/lib/devices/device-fixture";
import { answerFromMatches, ticketMatch, type TicketAnswer } from "@/lib/devices/ticket-answers";
import { isTicketProblem, parseTicketText, type ParsedTicket } from "@/lib/devices/ticket-lines";
import { chosenDevices, countRows, preflightRows } from "./preflight-rows";

function ticket(text: string): ParsedTicket {
  const parsed = parseTicketText(text);
  if (isTicketProblem(parsed)) throw new Error(parsed.problem);
  return parsed;
}

const stale = makeDevice({ id: "aaaaaaaa-0000-4000-8000-000000000001", serialNumber: "5CG52985R1", lastSyncDateTime: "2026-10-17T09:12:00.000Z" });
const live = makeDevice({ id: "bbbbbbbb-0000-4000-8000-000000000002", serialNumber: "5CG52985R1", lastSyncDateTime: "2026-11-21T08:40:00.000Z" });

describe("preflightRows", () => {
  const list = ticket("5CG52985R1\nPF3A9K2X\n");
  const answers = new Map<string, TicketAnswer>([
    [list.values[0]!.key, answerFromMatches("5CG52985R1", "serial", [ticketMatch(stale, FIXTURE_NOW), ticketMatch(live, FIXTURE_NOW)])],
    [list.values[1]!.key, { value: "PF3A9K2X", kind: "not-found", tried: ["serial", "name"] }],
  ]);

  it("says “Not checked yet” before Check devices, and “Checking…” only while a check runs", () => {
    expect(preflightRows(list, null, new Map()).map((r) => r.status)).toEqual(["unchecked", "unchecked"]);
    expect(preflightRows(list, null, new Map(), true).map((r) => r.status)).toEqual(["checking", "checking"]);
    expect(countRows(preflightRows(list, null, new Map()), list).checking).toBe(2);
  });

  it("a serial with two Intune records offers both, newest first, picks none, and acts on none until one is picked", () => {
    const [several] = preflightRows(list, answers, new Map());
    expect(several).toMatchObject({ status: "several", choiceBy: "serial number", message: expect.stringContaining("2 Intune records have this serial number") });
    expect(several!.choices!.map((c) => c.device.id)).toEqual([live.id, stale.id]);
    expect(several!.match).toBeUndefined();
    expect(chosenDevices(preflightRows(list, answers, new Map())).size).toBe(0);
    const picked = preflightRows(list, answers, new Map([[list.values[0]!.key, stale.id]]));
    expect(picked[0]).toMatchObject({ status: "found", match: { device: { id: stale.id } }, message: expect.stringContaining("You picked it among 2 records") });
    expect([...chosenDevices(picked).keys()]).toEqual([stale.id]);
  });

  it("a record over several lines shows the lines it spans", () => {
    const rows = preflightRows(ticket('serial,note\nPF3A9K2X,"a\nb"\n'), null, new Map());
    expect(rows[1]).toMatchObject({ number: 2, lastLine: 3 });
  });
});
