/**
 * Next.js 16 proxy (formerly middleware): security headers with a fresh CSP nonce on every page.
 *
 * Next.js reads the nonce back from the Content-Security-Policy *request* header while rendering and puts it on its
 * own scripts (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md), so the policy is set on the
 * request as well as on the response. A nonce only works on dynamically rendered pages; the root layout reads the
 * configuration at request time, which makes every page dynamic. Server components that add a script of their own
 * read the nonce from the `x-nonce` request header.
 *
 * The configuration is read here at request time, like the layout reads it, so one build serves either mode.
 */
import { NextResponse, type NextRequest } from "next/server";
import { readConfig } from "@/lib/config";
import { createNonce, framingFor, securityHeaders } from "@/lib/security/csp";

export function proxy(request: NextRequest) {
  const result = readConfig();
  const nonce = createNonce();
  const headers = securityHeaders({
    config: result.ok ? result.config : undefined,
    nonce,
    development: process.env.NODE_ENV === "development",
    framing: framingFor(request.nextUrl.pathname),
  });
  const csp = headers["Content-Security-Policy"]!;

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Every page, server action and RSC request; not the hashed static files, which carry no markup.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
