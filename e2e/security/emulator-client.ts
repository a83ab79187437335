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

/** A write the emulator holds (`hold`) or will apply later (`landsLater`): GET /_emulator/faults. */
export interface PendingWrite {
  method: string;
  path: string;
  arrivedDateTime: string;
  dueDateTime?: string;
}

export interface FaultState {
  rules: Array<{ fault: string; pathContains?: string; matched?: number; fired?: number }>;
  held: PendingWrite[];
  landsLater: PendingWrite[];
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

  private async post<T>(path: string, data: unknown): Promise<T> {
    const response = await this.request.post(`${this.url}/_emulator${path}`, { data, timeout: 30_000 });
    if (!response.ok()) throw new Error(`POST /_emulator${path} answered ${response.status()}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Moves Graph's clock (the emulator's `Date` header and every timestamp) forward. */
  advanceClock(seconds: number): Promise<{ clock: string }> {
    return this.post("/clock/advance", { seconds });
  }

  /** Adds fault rules beside whatever rules are set. */
  addFaultRules(rules: Array<Record<string, unknown>>): Promise<unknown> {
    return this.post("/faults/rules", { rules });
  }

  /** Removes the rules whose pathContains is one of these; held and pending writes stay. */
  removeFaultRules(pathContains: string[]): Promise<unknown> {
    return this.post("/faults/rules/remove", { pathContains });
  }

  faults(): Promise<FaultState> {
    return this.get<FaultState>("/faults");
  }

  /** Applies the held and pending writes (whose path contains `pathContains`, or all) now. */
  release(pathContains?: string): Promise<{ released: Array<{ method: string; path: string; status: number }> }> {
    return this.post("/faults/release", pathContains === undefined ? {} : { pathContains });
  }

  /** Test devices with this trait, in fleet order. */
  async devices(trait: string, limit = 1000): Promise<ControlDevice[]> {
    return (await this.get<{ value: ControlDevice[] }>(`/devices?trait=${encodeURIComponent(trait)}&limit=${limit}`)).value;
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
