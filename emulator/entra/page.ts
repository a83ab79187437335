/** The sign-in pages: "Pick an account" and the error page, in the admin center's look. No script needed. */
import { escapeHtml } from "../http";
import type { Persona } from "../tenant";

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:"Segoe UI","Segoe UI Web (West European)",-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",sans-serif;background:#f2f2f2;color:#1b1b1b}
main{max-width:440px;margin:8vh auto;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.2);padding:44px}
.brand{font-size:15px;font-weight:600;color:#5e5e5e;margin:0 0 16px}h1{font-size:24px;font-weight:600;margin:0 0 8px}
p.lead{margin:0 0 20px;font-size:15px;color:#1b1b1b}ul{list-style:none;margin:0;padding:0}li{border-top:1px solid #e6e6e6}li:last-child{border-bottom:1px solid #e6e6e6}
button.account{display:flex;width:100%;gap:12px;align-items:center;padding:12px 8px;background:none;border:0;text-align:left;font:inherit;cursor:pointer}
button.account:hover{background:#f2f2f2}button.account:focus-visible{outline:2px solid #0067b8;outline-offset:-2px}
.avatar{flex:none;width:40px;height:40px;border-radius:50%;background:#0078d4;color:#fff;display:grid;place-items:center;font-weight:600}
.who{display:flex;flex-direction:column}.name{font-size:15px;font-weight:600}.upn,.role{font-size:13px;color:#404040}
.note{margin-top:24px;font-size:13px;color:#404040}code{font-size:13px;word-break:break-all}.error{color:#a80000}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function initials(name: string): string {
  return name.split(" ").map((part) => part[0] ?? "").join("").slice(0, 2).toUpperCase();
}

/** Every persona is a real <button> whose accessible name starts with the display name. */
export function pickAccountPage(action: string, hidden: Record<string, string>, personas: readonly Persona[], consentScopes: readonly string[] = []): string {
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  const items = personas
    .map(
      (p) => `<li><button class="account" type="submit" name="persona" value="${escapeHtml(p.id)}" aria-label="${escapeHtml(`${p.displayName}, ${p.userPrincipalName}, ${p.role}`)}">
<span class="avatar" aria-hidden="true">${escapeHtml(initials(p.displayName))}</span>
<span class="who"><span class="name">${escapeHtml(p.displayName)}</span><span class="upn">${escapeHtml(p.userPrincipalName)}</span><span class="role">${escapeHtml(p.role)}</span></span>
</button></li>`,
    )
    .join("");
  return page(
    "Sign in to your account",
    `<p class="brand">Contoso (Intune emulator)</p><h1>Pick an account</h1>
<p class="lead">Demo tenant: each account has a different Intune role.</p>${consentNote(consentScopes)}
<form method="post" action="${escapeHtml(action)}">${fields}<ul aria-label="Accounts">${items}</ul></form>
<p class="note">This sign-in page belongs to the local Intune emulator. No password is asked and nothing leaves this machine.</p>`,
  );
}

/** The permissions a user may consent to herself that the app asks for: picking an account accepts them. */
function consentNote(scopes: readonly string[]): string {
  if (scopes.length === 0) return "";
  const items = scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(", ");
  return `<p class="note" id="consent">Permissions requested: ${items}. Accounts whose organization has not granted them consent by picking the account.</p>`;
}

export function errorPage(code: number, message: string): string {
  return page(
    "Sign in error",
    `<p class="brand">Contoso (Intune emulator)</p><h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" role="alert"><strong>AADSTS${code}:</strong> ${escapeHtml(message)}</p>`,
  );
}

export function signedOutPage(): string {
  return page("Signed out", `<p class="brand">Contoso (Intune emulator)</p><h1>You signed out of your account</h1><p class="lead">It's a good idea to close all browser windows.</p>`);
}

export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  return page(
    "Continue",
    `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<h1>Signed in</h1><button class="account" type="submit">Continue</button></form>`,
  );
}
