/** Beta remoteActionAudits/{id}: a documented GET (graph-docs beta intune-devices-remoteactionaudit-get.md; issue 20). */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "./server";
import { testClient } from "./test-client";

let emu: RunningEmulator;
const { graph } = testClient(() => emu);
const AUDITS = "/beta/deviceManagement/remoteActionAudits";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, fleetSize: 200, seed: 41 });
});
afterAll(() => emu.close());

it("reads one audit record by id as the list has it, with $select; unknown ids 404, non-GUIDs 400, v1.0 has no such path", async () => {
  const list = await graph("helpdesk", "GET", `${AUDITS}?$top=1`);
  const first = list.json.value[0];
  expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
  const one = await graph("helpdesk", "GET", `${AUDITS}/${first.id}`);
  expect(one.status).toBe(200);
  const { "@odata.context": context, ...body } = one.json;
  expect(context).toMatch(/\$metadata#deviceManagement\/remoteActionAudits\/\$entity$/);
  expect(body).toEqual(first);
  const selected = await graph("helpdesk", "GET", `${AUDITS}/${first.id}?$select=id,action`);
  expect(selected.json).toMatchObject({ id: first.id, action: first.action });
  expect(selected.json).not.toHaveProperty("deviceDisplayName");
  expect((await graph("helpdesk", "GET", `${AUDITS}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  expect((await graph("helpdesk", "GET", `${AUDITS}/nope`)).status).toBe(400);
  expect((await graph("helpdesk", "GET", `/v1.0/deviceManagement/remoteActionAudits/${first.id}`)).status).not.toBe(200);
});
