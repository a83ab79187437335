import { RedirectLanding } from "@/components/auth/redirect-landing";

export const metadata = { title: "Signing in" };

/** MSAL's redirect URI. MsalProvider (in the root layout) reads the answer and returns to the page that asked. */
export default function AuthRedirectPage() {
  return <RedirectLanding />;
}
