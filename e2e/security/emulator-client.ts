/**
 * The emulator's control API and the persona sign-in, for tests that run their own emulator on their own port
 * (e2e/fixtures is bound to the shared 3101 one).
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export interface Counters {
  wipes: Record<string, number>;
  syncs: Record<string, number>;
  throttled: number;
  requests: number;
}

export interface ControlDevice {
  id: string;
  deviceName: string;
  serialNumber: string;
  traits: string[];
}

export class EmulatorClient {
  /** `request` is Playwright's: in the https project it ignores the test certificate like the browser does. */
  constructor(
    readonly url: string,
    private readonly request: APIRequestContext,
  ) {}

  private async get<T>(path: string): Promise<T> {
    const response = await this.request.get(`${this.url}/_emulator${path}`, { timeout: 10_000 });
    if (!response.ok()) throw new Error(`GET /_emulator${path} answered ${response.status()}`);
    return (await response.json()) as T;
  }

  counters(): Promise<Counters> {
    return this.get<Counters>("/counters");
  }

  async displayName(persona: string): Promise<string> {
    const info = await this.get<{ personas: Array<{ id: string; displayName: string }> }>("/info");
    const found = info.personas.find((candidate) => candidate.id === persona);
    if (!found) throw new Error(`no persona ${persona}`);
    return found.displayName;
  }

  /** An online, resettable device: eligible and none of the traits that would make a reset fail or wait. */
  async resettableDevice(): Promise<ControlDevice> {
    const { value } = await this.get<{ value: ControlDevice[] }>("/devices?trait=eligible&limit=50");
    const device = value.find((candidate) =>
      !candidate.traits.some((trait) => ["offline", "winreDisabled", "pendingReset", "hybrid", "notAutopilot", "nonWindows"].includes(trait)),
    );
    if (!device) throw new Error("the emulator has no resettable device");
    return device;
  }
}

/** The real MSAL redirect: protected page -> the emulator's sign-in page -> pick the persona -> back. */
export async function signInThrough(page: Page, appUrl: string, emulator: EmulatorClient, persona: string, path = "/devices/windows") {
  const displayName = await emulator.displayName(persona);
  const emulatorOrigin = new URL(emulator.url).origin;
  await page.goto(`${appUrl}${path}`);
  await page.waitForURL((url) => url.origin === emulatorOrigin, { timeout: 30_000 });
  await page.getByRole("button", { name: new RegExp(displayName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).click();
  await page.waitForURL((url) => url.origin === new URL(appUrl).origin && !url.pathname.startsWith("/auth/redirect"), {
    timeout: 30_000,
  });
  await expect(page.getByRole("button", { name: `Account: ${displayName}` })).toBeVisible();
  return displayName;
}
