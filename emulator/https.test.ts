import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import https from "node:https";
import { startEmulator, type RunningEmulator } from "./server";
import { TENANT_ID } from "./tenant";

// Over https every URL the emulator hands out (discovery, nextLink) must say https and the host the client used.
let dir = "";
let emu: RunningEmulator | undefined;
let cert = "";
let hasOpenssl = true;

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: cert, headers }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      })
      .on("error", reject);
  });
}

function post(url: string, body: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "POST", ca: cert }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve(JSON.parse(text)));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

beforeAll(async () => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
  } catch {
    hasOpenssl = false;
    return;
  }
  dir = mkdtempSync(path.join(tmpdir(), "emulator-tls-"));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
  ], { stdio: "ignore" });
  cert = readFileSync(path.join(dir, "cert.pem"), "utf8");
  emu = await startEmulator({ port: 0, fleetSize: 50, seed: 1, tls: { key: readFileSync(path.join(dir, "key.pem")), cert } });
});

afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("over https", () => {
  it("builds discovery and nextLink URLs from the https origin the client reached", async (ctx) => {
    if (!hasOpenssl || !emu) return ctx.skip();
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const origin = `https://localhost:${emu.port}`;
    const discovery = await get(`${origin}/${TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(discovery.body.issuer).toBe(`${origin}/${TENANT_ID}/v2.0`);
    expect(discovery.body.token_endpoint).toBe(`${origin}/${TENANT_ID}/oauth2/v2.0/token`);
    const { access_token } = await post(`${origin}/_emulator/token`, { persona: "readonly" });
    const list = await get(`${origin}/v1.0/deviceManagement/managedDevices?$top=5`, { Authorization: `Bearer ${access_token}` });
    expect(list.status).toBe(200);
    expect(list.body["@odata.nextLink"]).toMatch(new RegExp(`^${origin}/v1\\.0/deviceManagement/managedDevices\\?`));
  });
});
