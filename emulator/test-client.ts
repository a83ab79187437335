/** For the emulator's own tests: control and Graph calls against one running emulator, with tokens per persona. */
import type { RunningEmulator } from "./server";

export interface GraphAnswer {
  status: number;
  headers: Headers;
  json: any;
}

export function testClient(target: () => RunningEmulator) {
  const tokens: Record<string, string> = {};

  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${target().url}/_emulator${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function token(persona: string): Promise<string> {
    tokens[persona] ??= (await control<{ access_token: string }>("POST", "/token", { persona })).access_token;
    return tokens[persona]!;
  }

  /** A Graph call as `persona` (null: no token); a string body is sent as it is. */
  async function graph(
    persona: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<GraphAnswer> {
    const res = await fetch(`${target().url}${path}`, {
      method,
      headers: { ...(persona ? { Authorization: `Bearer ${await token(persona)}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, json };
  }

  /** Devices with a trait (and none of `exclude`), first `limit`. */
  async function devices(trait: string, limit = 1, exclude: string[] = []): Promise<string[]> {
    const found = await control<{ value: { id: string; traits: string[] }[] }>("GET", `/devices?trait=${trait}&limit=1000`);
    return found.value.filter((d) => !d.traits.some((t) => exclude.includes(t))).slice(0, limit).map((d) => d.id);
  }

  /** The first device with `trait` and none of `exclude` (e.g. "silentWipe" when a test reads the wipe back). */
  async function device(trait: string, exclude: string[] = []): Promise<string> {
    const [id] = await devices(trait, 1, exclude);
    if (!id) throw new Error(`no device with trait ${trait}`);
    return id;
  }

  return { control, token, graph, devices, device };
}

/** Base64 of UTF-8 text, as the x-msft-approval-justification header wants it. */
export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
