import { expect, test } from "./fixtures/auth";
import type { TestDevice } from "./fixtures/emulator";

/**
 * The server decides (docs/safety.md, "The server decides: one send protocol"). A real bulk run is made in the browser
 * to learn this build's server-action call, then the call is replayed as a modified client would send it: the
 * browser's preflight skipped, with devices it would never have planned. The emulator's counters are the truth: a
 * device that must not take an Autopilot Reset gets no wipe, and the answer says why for each.
 */

/** The action's answer (React's flight format) holds each outcome as JSON: find one device's. */
function outcomeOf(flight: string, deviceId: string): Record<string, unknown> | null {
  const at = flight.indexOf(`{"deviceId":"${deviceId}"`);
  if (at < 0) return null;
  let depth = 0;
  for (let i = at; i < flight.length; i++) {
    if (flight[i] === "{") depth++;
    if (flight[i] === "}" && --depth === 0) return JSON.parse(flight.slice(at, i + 1)) as Record<string, unknown>;
  }
  return null;
}

test("called directly with every kind of device, the bulk action wipes only those that may take a reset, and says why for each of the others", async ({ page, emulator, signInAs }) => {
  test.setTimeout(120_000);
  const first = await emulator.device("eligible", 71, ["offline", "winreDisabled", "silentWipe"]);
  const second = await emulator.device("eligible", 72, ["offline", "winreDisabled", "silentWipe"]);
  const { stale } = await emulator.reenrolledPair(5);
  const mustNot: { device: TestDevice; reason: string }[] = [
    { device: await emulator.device("hybrid", 71), reason: "hybrid-joined" },
    { device: await emulator.device("notAutopilot", 71), reason: "not-autopilot" },
    { device: await emulator.device("nonWindows", 71), reason: "not-windows" },
    { device: await emulator.scenarioDevice("devicePreparation", 7), reason: "device-preparation" },
    { device: await emulator.scenarioDevice("devicePreparationRegistered", 7), reason: "device-preparation" },
    { device: stale, reason: "not-current-record" },
    { device: await emulator.scenarioDevice("entraMismatch", 3), reason: "records-disagree" },
  ];

  // 1. A real one-device bulk run, to capture the call this build makes.
  let captured: { headers: Record<string, string>; body: string; url: string } | undefined;
  page.on("request", (request) => {
    const body = request.postData();
    if (!captured && request.method() === "POST" && request.headers()["next-action"] && body?.includes('"issuedAt"') && body.includes('"deviceIds"')) {
      captured = { headers: request.headers(), body, url: request.url() };
    }
  });
  await signInAs("helpdesk", `/devices/windows?q=${first.deviceName}`);
  await page.getByRole("checkbox", { name: new RegExp(`^Select ${first.deviceName}`) }).click();
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Autopilot Reset" }).click();
  const dialog = page.getByTestId("bulk-confirm-dialog");
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("heading", { name: /Bulk Autopilot Reset: Finished/ })).toBeVisible({ timeout: 60_000 });
  expect(captured, "the run's send call was seen").toBeDefined();
  expect(await emulator.wipesOf(first.id)).toBe(1);

  // 2. The same call, replayed with the devices a modified client chose: every kind that must not be reset, and one
  // that may. A fresh ticket on Graph's clock, as a client would echo it.
  const before = await emulator.counters();
  const [token, input] = JSON.parse(captured!.body) as [string, Record<string, unknown>];
  const graphNow = Date.parse((await emulator.info()).clock);
  const replayed = JSON.stringify([token, { ...input, deviceIds: [...mustNot.map((m) => m.device.id), second.id], issuedAt: graphNow }]);
  const response = await page.request.post(captured!.url, {
    headers: {
      "next-action": captured!.headers["next-action"]!,
      "content-type": captured!.headers["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: new URL(captured!.url).origin,
    },
    data: replayed,
  });
  expect(response.status()).toBe(200);
  const flight = await response.text();
  const after = await emulator.counters();

  for (const { device, reason } of mustNot) {
    const outcome = outcomeOf(flight, device.id);
    expect(outcome, `${reason}: ${device.deviceName} has an outcome`).not.toBeNull();
    expect(outcome, device.deviceName).toMatchObject({ kind: "refused", reason });
    expect(String(outcome!.message).length, `${reason}: a sentence`).toBeGreaterThan(30);
    expect((after.wipes[device.id] ?? 0) - (before.wipes[device.id] ?? 0), `${reason}: wipes of ${device.deviceName}`).toBe(0);
  }
  expect(outcomeOf(flight, stale.id)).toMatchObject({ currentDeviceId: stale.pairedDeviceId });
  expect(outcomeOf(flight, second.id)).toMatchObject({ kind: "accepted" });
  expect((after.wipes[second.id] ?? 0) - (before.wipes[second.id] ?? 0)).toBe(1);

  // 3. The one device that was wiped, asked again by the same modified client: nothing more is sent.
  const again = await page.request.post(captured!.url, {
    headers: { "next-action": captured!.headers["next-action"]!, "content-type": captured!.headers["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component", origin: new URL(captured!.url).origin },
    data: JSON.stringify([token, { ...input, deviceIds: [second.id, first.id], issuedAt: Date.parse((await emulator.info()).clock) }]),
  });
  const againFlight = await again.text();
  expect(outcomeOf(againFlight, second.id)).toMatchObject({ kind: "already-pending" });
  expect(outcomeOf(againFlight, first.id)).toMatchObject({ kind: "already-pending" });
  const last = await emulator.counters();
  expect(last.wipes[second.id]).toBe(after.wipes[second.id]);
  expect(last.wipes[first.id]).toBe(after.wipes[first.id]);
});
