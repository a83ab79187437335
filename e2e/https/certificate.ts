/**
 * A throwaway certificate authority and a localhost server certificate, made with openssl at test time (nothing is
 * committed). The app's Node process trusts the CA through NODE_EXTRA_CA_CERTS; Chromium ignores certificate errors
 * for the https project only.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCertificate {
  dir: string;
  /** PEM of the CA that signed the server certificate: what NODE_EXTRA_CA_CERTS points at. */
  caPath: string;
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function createLocalhostCertificate(): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), "arc-https-"));
  openssl(
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
      "-subj", "/CN=Autopilot Reset Console test CA", "-keyout", "ca.key", "-out", "ca.pem",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    dir,
  );
  openssl(
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost",
      "-keyout", "server.key", "-out", "server.csr"],
    dir,
  );
  writeFileSync(
    path.join(dir, "server.ext"),
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" +
      "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
  );
  openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
      "-extfile", "server.ext", "-out", "server.pem"],
    dir,
  );
  return {
    dir,
    caPath: path.join(dir, "ca.pem"),
    key: readFileSync(path.join(dir, "server.key"), "utf8"),
    cert: readFileSync(path.join(dir, "server.pem"), "utf8"),
  };
}
