/**
 * Manual check (not part of the unit suite: it drives Chromium): a bare page with @azure/msal-browser signs in
 * against the emulator through loginRedirect, the "Pick an account" page and the token endpoint, then refreshes the
 * access token with acquireTokenSilent({forceRefresh}) and calls Graph with it, then logs out.
 * Run: npx tsx emulator/tools/msal-smoke.ts [--https]   (ports 3204 page, 3205 emulator)
 * With --https the emulator serves a throwaway self-signed certificate and MSAL gets no authorityMetadata: it runs
 * real OpenID discovery against the https authority, as it does against Entra ID.
 */
import http from "node:http";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startEmulator } from "../server";
import { CLIENT_ID, TENANT_ID } from "../tenant";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PAGE_PORT = 3204;
const EMULATOR_PORT = 3205;
const APP = `http://localhost:${PAGE_PORT}`;
const HTTPS = process.argv.includes("--https");
const EMU = `${HTTPS ? "https" : "http"}://127.0.0.1:${EMULATOR_PORT}`;
const SCOPES = ["https://graph.microsoft.com/DeviceManagementManagedDevices.Read.All", "https://graph.microsoft.com/DeviceManagementManagedDevices.PrivilegedOperations.All"];

const authority = `${EMU}/${TENANT_ID}`;
const metadata = JSON.stringify({
  issuer: `${authority}/v2.0`,
  authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
  token_endpoint: `${authority}/oauth2/v2.0/token`,
  end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  jwks_uri: `${authority}/discovery/v2.0/keys`,
  response_modes_supported: ["query", "fragment", "form_post"],
});

const pageHtml = `<!doctype html><html><head><title>loading</title><script src="/msal.js"></script></head><body><script>
(async () => {
  const pca = new msal.PublicClientApplication({
    auth: { clientId: ${JSON.stringify(CLIENT_ID)}, authority: ${JSON.stringify(`https://127.0.0.1:${EMULATOR_PORT}/${TENANT_ID}`)},
      knownAuthorities: [${JSON.stringify(`127.0.0.1:${EMULATOR_PORT}`)}], ${HTTPS ? "" : `authorityMetadata: ${JSON.stringify(metadata)},`}
      redirectUri: ${JSON.stringify(`${APP}/`)}, postLogoutRedirectUri: ${JSON.stringify(`${APP}/`)} },
    cache: { cacheLocation: "sessionStorage" },
    system: { loggerOptions: { logLevel: 1, loggerCallback: (l, m) => console.log("[msal] " + m) } },
  });
  try {
    await pca.initialize();
    const result = await pca.handleRedirectPromise();
    const account = result?.account ?? pca.getAllAccounts()[0];
    if (!account) { await pca.loginRedirect({ scopes: ${JSON.stringify(SCOPES)} }); return; }
    const silent = await pca.acquireTokenSilent({ account, scopes: ${JSON.stringify(SCOPES)}, forceRefresh: true });
    const res = await fetch(${JSON.stringify(`${EMU}/beta/deviceManagement/managedDevices?$top=1&$select=deviceName`)}, { headers: { Authorization: "Bearer " + silent.accessToken } });
    const body = await res.json();
    document.title = "OK " + account.username + " " + res.status + " " + body.value.length + " scopes=" + silent.scopes.join(" ");
  } catch (e) { document.title = "FAIL " + (e.errorCode || "") + " " + e.message; }
})();
</script></body></html>`;

const msalJs = readFileSync(path.join(ROOT, "node_modules/@azure/msal-browser/lib/msal-browser.js"));
const pageServer = http.createServer((req, res) => {
  if (req.url === "/msal.js") {
    res.writeHead(200, { "Content-Type": "text/javascript" });
    res.end(msalJs);
  } else {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(pageHtml);
  }
});
await new Promise<void>((resolve) => pageServer.listen(PAGE_PORT, "127.0.0.1", resolve));
let tls: { key: Buffer; cert: Buffer } | undefined;
const certDir = HTTPS ? mkdtempSync(path.join(tmpdir(), "msal-smoke-")) : "";
if (HTTPS) {
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", path.join(certDir, "key.pem"), "-out", path.join(certDir, "cert.pem")], { stdio: "ignore" });
  tls = { key: readFileSync(path.join(certDir, "key.pem")), cert: readFileSync(path.join(certDir, "cert.pem")) };
}
const emulator = await startEmulator({ port: EMULATOR_PORT, fleetSize: 50, seed: 1, appOrigins: [APP], tls });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", ...(HTTPS ? ["--ignore-certificate-errors"] : [])],
});
let code = 1;
try {
  const page = await browser.newPage();
  const logs: string[] = [];
  const requested: string[] = [];
  page.on("console", (m) => logs.push(m.text()));
  page.on("request", (r) => requested.push(r.url()));
  await page.goto(`${APP}/`);
  await page.getByRole("button", { name: /Megan Bowen/ }).click();
  await page.waitForFunction(() => document.title.startsWith("OK") || document.title.startsWith("FAIL"), null, { timeout: 20_000 });
  const title = await page.title();
  console.log(title);
  if (HTTPS) console.log(`discovery fetched by MSAL: ${requested.some((u) => u.endsWith("/v2.0/.well-known/openid-configuration"))}`);
  if (!title.startsWith("OK")) console.log(logs.join("\n"));
  code = title.startsWith("OK Megan") || title.startsWith("OK MeganB") ? 0 : 1;
} finally {
  await browser.close();
  await emulator.close();
  pageServer.close();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
}
process.exit(code);
