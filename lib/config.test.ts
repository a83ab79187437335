import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_DATA_DIR,
  DEFAULT_EMULATOR_URL,
  EMULATOR_CLIENT_ID,
  EMULATOR_TENANT_ID,
  getConfig,
  readConfig,
  toPublicConfig,
  type ConfigResult,
} from "./config";

const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
const TENANT_ID = "66666666-7777-8888-9999-000000000000";

function errorOf(result: ConfigResult): string {
  if (result.ok) throw new Error(`expected a configuration error, got ${JSON.stringify(result.config)}`);
  return result.error;
}

/** The contract for every misconfiguration message: one line, naming the variable to fix. */
function expectOneLineNaming(message: string, variable: string) {
  expect(message).not.toMatch(/[\r\n]/);
  expect(message).toContain(variable);
  expect(message.length).toBeLessThan(260);
}

describe("readConfig: emulator mode", () => {
  it("defaults to the local emulator at 127.0.0.1:3001 with its fixed tenant and client ids", () => {
    const result = readConfig({});
    expect(result).toEqual({
      ok: true,
      config: expect.objectContaining({
        mode: "emulator",
        clientId: EMULATOR_CLIENT_ID,
        tenantId: EMULATOR_TENANT_ID,
        authority: `https://127.0.0.1:3001/${EMULATOR_TENANT_ID}`,
        knownAuthorities: ["127.0.0.1:3001"],
        graphBaseUrl: DEFAULT_EMULATOR_URL,
        emulatorUrl: DEFAULT_EMULATOR_URL,
      }),
    });
  });

  it("gives MSAL http metadata for a plain-http emulator, so it skips discovery that would refuse http", () => {
    const config = getConfig({ EMULATOR_URL: "http://127.0.0.1:3101" });
    const metadata = JSON.parse(config.authorityMetadata ?? "null") as Record<string, unknown>;
    const base = `http://127.0.0.1:3101/${EMULATOR_TENANT_ID}`;
    expect(metadata).toMatchObject({
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
    });
    // MSAL refuses a non-https authority string even with metadata, so the authority itself stays https.
    expect(config.authority).toBe(`https://127.0.0.1:3101/${EMULATOR_TENANT_ID}`);
  });

  it("omits the metadata for an https emulator, so MSAL discovers it exactly as it discovers Entra", () => {
    const config = getConfig({ EMULATOR_URL: "https://localhost:3245" });
    expect(config.authorityMetadata).toBeUndefined();
    expect(config.authority).toBe(`https://localhost:3245/${EMULATOR_TENANT_ID}`);
    expect(config.knownAuthorities).toEqual(["localhost:3245"]);
    expect(config.graphBaseUrl).toBe("https://localhost:3245");
    expect(config.emulatorUrl).toBe("https://localhost:3245");
  });

  it("accepts a trailing slash and surrounding spaces, and keeps only the origin", () => {
    const config = getConfig({ EMULATOR_URL: "  http://127.0.0.1:3101/  " });
    expect(config.emulatorUrl).toBe("http://127.0.0.1:3101");
  });

  it("treats empty or blank Entra variables as unset", () => {
    expect(getConfig({ ENTRA_CLIENT_ID: "", ENTRA_TENANT_ID: "   " }).mode).toBe("emulator");
  });

  it("ignores GRAPH_BASE_URL: the emulator is the Graph in this mode", () => {
    expect(getConfig({ GRAPH_BASE_URL: "https://graph.microsoft.com" }).graphBaseUrl).toBe(DEFAULT_EMULATOR_URL);
  });

  it.each([
    ["not a URL", "127.0.0.1:3001"],
    ["another scheme", "ftp://127.0.0.1:3001"],
    ["a path", "http://127.0.0.1:3001/7d3f0a2e-5b1c-4e8a-9f60-3c2d1b0a9e87"],
    ["a query", "http://127.0.0.1:3001/?tenant=x"],
    ["a fragment", "http://127.0.0.1:3001/#x"],
    ["credentials", "http://user:pass@127.0.0.1:3001"],
    ["garbage", "::::"],
  ])("refuses an EMULATOR_URL with %s in one line", (_what, value) => {
    const message = errorOf(readConfig({ EMULATOR_URL: value }));
    expectOneLineNaming(message, "EMULATOR_URL");
    expect(message).toBe(`EMULATOR_URL must be an http(s) origin such as http://127.0.0.1:3001; got ${JSON.stringify(value)}.`);
  });
});

describe("readConfig: Entra mode", () => {
  it("uses login.microsoftonline.com for the tenant and graph.microsoft.com, without metadata or emulator", () => {
    const result = readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID });
    expect(result).toEqual({
      ok: true,
      config: {
        mode: "entra",
        clientId: CLIENT_ID,
        tenantId: TENANT_ID,
        authority: `https://login.microsoftonline.com/${TENANT_ID}`,
        knownAuthorities: ["login.microsoftonline.com"],
        graphBaseUrl: "https://graph.microsoft.com",
        dailyWipeLimit: 500,
        dataDir: path.resolve(DEFAULT_DATA_DIR),
      },
    });
  });

  it("takes the tenant's daily wipe limit when support raised it, and refuses nonsense in one sentence", () => {
    const env = { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID };
    expect(getConfig(env).dailyWipeLimit).toBe(500);
    expect(getConfig({ ...env, INTUNE_DAILY_WIPE_LIMIT: " 2000 " }).dailyWipeLimit).toBe(2000);
    for (const bad of ["0", "-5", "1.5", "lots", "99999999"]) {
      const result = readConfig({ ...env, INTUNE_DAILY_WIPE_LIMIT: bad });
      expect(result.ok ? "" : result.error, bad).toMatch(/^INTUNE_DAILY_WIPE_LIMIT must be the tenant's daily wipe limit/);
    }
  });

  it("takes the WinRE remediation package's id when one is set, and refuses anything but a GUID", () => {
    const env = { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID };
    expect(getConfig(env).winreRemediationId).toBeUndefined();
    expect(getConfig({ ...env, WINRE_REMEDIATION_ID: ` ${TENANT_ID.toUpperCase()} ` }).winreRemediationId).toBe(TENANT_ID);
    const result = readConfig({ ...env, WINRE_REMEDIATION_ID: "Autopilot Reset Console - WinRE" });
    expect(result.ok ? "" : result.error).toMatch(/^WINRE_REMEDIATION_ID must be the WinRE remediation package's id/);
  });

  it("accepts upper-case GUIDs and surrounding whitespace", () => {
    const config = getConfig({ ENTRA_CLIENT_ID: ` ${CLIENT_ID.toUpperCase()}\n`, ENTRA_TENANT_ID: TENANT_ID });
    expect(config.clientId).toBe(CLIENT_ID.toUpperCase());
  });

  it("takes an https GRAPH_BASE_URL origin, with or without a trailing slash", () => {
    const env = { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID };
    expect(getConfig({ ...env, GRAPH_BASE_URL: "https://graph.microsoft.us/" }).graphBaseUrl).toBe("https://graph.microsoft.us");
    expect(getConfig({ ...env, GRAPH_BASE_URL: "https://graph.example.com:8443" }).graphBaseUrl).toBe("https://graph.example.com:8443");
  });

  it("never hands the emulator's URL to an Entra configuration", () => {
    const config = getConfig({ ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID });
    expect(config.emulatorUrl).toBeUndefined();
    expect(config.authorityMetadata).toBeUndefined();
  });
});

describe("readConfig: Entra misconfiguration, one clear line each", () => {
  it("names ENTRA_TENANT_ID when only the client id is set", () => {
    const message = errorOf(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID }));
    expectOneLineNaming(message, "ENTRA_TENANT_ID");
    expect(message).toBe(
      "ENTRA_TENANT_ID is not set: set both ENTRA_CLIENT_ID and ENTRA_TENANT_ID for Entra ID, or neither for the emulator.",
    );
  });

  it("names ENTRA_CLIENT_ID when only the tenant id is set", () => {
    const message = errorOf(readConfig({ ENTRA_TENANT_ID: TENANT_ID }));
    expectOneLineNaming(message, "ENTRA_CLIENT_ID");
    expect(message).toMatch(/^ENTRA_CLIENT_ID is not set:/);
  });

  it("refuses a half configuration even when EMULATOR_URL is valid, rather than silently using the emulator", () => {
    expect(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, EMULATOR_URL: DEFAULT_EMULATOR_URL }).ok).toBe(false);
  });

  it.each([
    ["a name", "autopilot-reset-console"],
    ["a GUID in braces", `{${CLIENT_ID}}`],
    ["a truncated GUID", CLIENT_ID.slice(0, 35)],
    ["an object id URI", `api://${CLIENT_ID}`],
  ])("refuses an ENTRA_CLIENT_ID that is %s", (_what, value) => {
    const message = errorOf(readConfig({ ENTRA_CLIENT_ID: value, ENTRA_TENANT_ID: TENANT_ID }));
    expectOneLineNaming(message, "ENTRA_CLIENT_ID");
    expect(message).toBe(`ENTRA_CLIENT_ID must be the app registration's Application (client) ID, a GUID; got ${JSON.stringify(value)}.`);
  });

  it.each([
    ["a domain", "contoso.onmicrosoft.com"],
    ["'common'", "common"],
    ["'organizations'", "organizations"],
  ])("refuses an ENTRA_TENANT_ID that is %s: the console signs in to one tenant", (_what, value) => {
    const message = errorOf(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: value }));
    expectOneLineNaming(message, "ENTRA_TENANT_ID");
    expect(message).toBe(`ENTRA_TENANT_ID must be the Directory (tenant) ID, a GUID; got ${JSON.stringify(value)}.`);
  });

  it("refuses the same GUID for both ids (a copy-paste slip)", () => {
    const message = errorOf(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: CLIENT_ID.toUpperCase() }));
    expectOneLineNaming(message, "ENTRA_TENANT_ID");
    expect(message).toContain("same GUID");
  });

  it.each([
    ["http", "http://graph.microsoft.com"],
    ["a version path", "https://graph.microsoft.com/v1.0"],
    ["a beta path", "https://graph.microsoft.com/beta/"],
    ["a query", "https://graph.microsoft.com/?x=1"],
    ["credentials", "https://user:secret@graph.example.com"],
    ["not a URL", "graph.microsoft.com"],
  ])("refuses a GRAPH_BASE_URL with %s", (_what, value) => {
    const message = errorOf(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID, GRAPH_BASE_URL: value }));
    expectOneLineNaming(message, "GRAPH_BASE_URL");
    expect(message).toBe(
      `GRAPH_BASE_URL must be an https origin such as https://graph.microsoft.com (no path: /v1.0 and /beta are added); got ${JSON.stringify(value)}.`,
    );
  });

  it("refuses EMULATOR_URL together with Entra ids: the emulator never runs against a real tenant", () => {
    const message = errorOf(
      readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID, EMULATOR_URL: "http://127.0.0.1:3001" }),
    );
    expectOneLineNaming(message, "EMULATOR_URL");
    expect(message).toContain("remove it");
  });

  it("keeps a message on one line and short whatever was pasted into the variable", () => {
    const pasted = `line one\nline two\r\n${"x".repeat(5_000)}`;
    for (const env of [
      { ENTRA_CLIENT_ID: pasted, ENTRA_TENANT_ID: TENANT_ID },
      { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: pasted },
      { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID, GRAPH_BASE_URL: pasted },
      { EMULATOR_URL: pasted },
    ]) {
      const message = errorOf(readConfig(env));
      expect(message).not.toMatch(/[\r\n]/);
      expect(message.length).toBeLessThan(260);
    }
  });
});

describe("readConfig: REDIS_URL", () => {
  const entra = { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID };

  it("is optional: unset or blank leaves the locks in the console's own process", () => {
    expect(getConfig({}).redisUrl).toBeUndefined();
    expect(getConfig({ REDIS_URL: "  " }).redisUrl).toBeUndefined();
    expect(getConfig(entra)).not.toHaveProperty("redisUrl");
  });

  it.each([
    "redis://127.0.0.1:6379",
    "redis://redis.internal",
    "redis://redis.internal:6380/",
    "redis://redis.internal:6379/2",
    "redis://:s3cret@redis.internal:6379",
    "rediss://console:s3cret@cache.example.com:6380/0",
  ])("takes %s in either mode, as given", (value) => {
    expect(getConfig({ REDIS_URL: ` ${value} ` }).redisUrl).toBe(value);
    expect(getConfig({ ...entra, REDIS_URL: value }).redisUrl).toBe(value);
  });

  it.each([
    ["no scheme", "127.0.0.1:6379"],
    ["an http URL", "http://127.0.0.1:6379"],
    ["no host", "redis://"],
    ["a path that is not a database number", "redis://127.0.0.1:6379/locks"],
    ["a query", "redis://127.0.0.1:6379?db=1"],
    ["a fragment", "redis://127.0.0.1:6379#x"],
    ["a bad port", "redis://127.0.0.1:99999"],
    ["garbage", "::::"],
  ])("refuses a REDIS_URL with %s in one line", (_what, value) => {
    const message = errorOf(readConfig({ REDIS_URL: value }));
    expectOneLineNaming(message, "REDIS_URL");
    expect(message).toBe(
      `REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (or unset, for a single console instance); got ${JSON.stringify(value)}.`,
    );
  });

  it("never echoes the password of a malformed REDIS_URL", () => {
    const message = errorOf(readConfig({ REDIS_URL: "redis://console:hunter2@cache.example.com:6379/locks" }));
    expectOneLineNaming(message, "REDIS_URL");
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("console:");
    expect(message).toContain('got "redis://***@cache.example.com:6379/locks"');
  });

  it("reports the mode's own mistake first, and REDIS_URL's in Entra mode too", () => {
    expect(errorOf(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, REDIS_URL: "nope" }))).toMatch(/^ENTRA_TENANT_ID is not set/);
    expectOneLineNaming(errorOf(readConfig({ ...entra, REDIS_URL: "nope" })), "REDIS_URL");
  });

  it("keeps the message on one line and short whatever was pasted", () => {
    const message = errorOf(readConfig({ REDIS_URL: `redis://a b\n${"x".repeat(5_000)}` }));
    expect(message).not.toMatch(/[\r\n]/);
    expect(message.length).toBeLessThan(260);
  });
});

describe("readConfig: DATA_DIR", () => {
  const entra = { ENTRA_CLIENT_ID: CLIENT_ID, ENTRA_TENANT_ID: TENANT_ID };

  it("defaults to .data in the working directory, in either mode, as an absolute path", () => {
    expect(getConfig({}).dataDir).toBe(path.join(process.cwd(), ".data"));
    expect(getConfig({ DATA_DIR: "   " }).dataDir).toBe(path.join(process.cwd(), ".data"));
    expect(getConfig(entra).dataDir).toBe(path.join(process.cwd(), ".data"));
  });

  it.each([
    ["/var/lib/autopilot-reset-console", "/var/lib/autopilot-reset-console"],
    [" /srv/console data/ ", "/srv/console data"],
    ["state", path.join(process.cwd(), "state")],
    ["../elsewhere/locks", path.resolve(process.cwd(), "../elsewhere/locks")],
  ])("takes %j as %j", (value, expected) => {
    expect(getConfig({ DATA_DIR: value }).dataDir).toBe(expected);
    expect(getConfig({ ...entra, DATA_DIR: value }).dataDir).toBe(expected);
  });

  it.each([
    ["a URL", "file:///var/lib/console"],
    ["a Redis URL pasted into the wrong variable", "redis://127.0.0.1:6379"],
    ["a newline", "/var/lib/a\nb"],
    ["a NUL", "/var/lib/a\u0000b"],
    ["a pasted blob", `/${"x".repeat(2_000)}`],
  ])("refuses a DATA_DIR with %s in one line", (_what, value) => {
    const message = errorOf(readConfig({ DATA_DIR: value }));
    expectOneLineNaming(message, "DATA_DIR");
    expect(message).toMatch(/^DATA_DIR must be a folder path such as \.data /);
  });

  it("reports the mode's and REDIS_URL's mistakes first", () => {
    expect(errorOf(readConfig({ ENTRA_CLIENT_ID: CLIENT_ID, DATA_DIR: "file:///x" }))).toMatch(/^ENTRA_TENANT_ID is not set/);
    expect(errorOf(readConfig({ REDIS_URL: "nope", DATA_DIR: "file:///x" }))).toMatch(/^REDIS_URL must be/);
  });
});

describe("getConfig and toPublicConfig", () => {
  it("throws the one-line message as the Error's message", () => {
    expect(() => getConfig({ ENTRA_CLIENT_ID: CLIENT_ID })).toThrowError(/^ENTRA_TENANT_ID is not set: /);
  });

  it("reads process.env by default", () => {
    const saved = { ...process.env };
    try {
      delete process.env.ENTRA_CLIENT_ID;
      delete process.env.ENTRA_TENANT_ID;
      process.env.EMULATOR_URL = "http://127.0.0.1:3244";
      expect(getConfig().emulatorUrl).toBe("http://127.0.0.1:3244");
    } finally {
      process.env = saved;
    }
  });

  it("hands the browser only what MSAL needs: no Graph or emulator URL", () => {
    const server = getConfig({ EMULATOR_URL: "http://127.0.0.1:3101" });
    const publicConfig = toPublicConfig(server);
    expect(Object.keys(publicConfig).sort()).toEqual(
      ["authority", "authorityMetadata", "clientId", "knownAuthorities", "mode", "tenantId"].sort(),
    );
    expect(publicConfig).not.toHaveProperty("graphBaseUrl");
    expect(publicConfig).not.toHaveProperty("emulatorUrl");
  });

  it("never hands REDIS_URL (which may hold a password) to the browser", () => {
    const server = getConfig({ REDIS_URL: "redis://:s3cret@127.0.0.1:6379" });
    expect(server.redisUrl).toBe("redis://:s3cret@127.0.0.1:6379");
    expect(JSON.stringify(toPublicConfig(server))).not.toContain("s3cret");
  });
});
