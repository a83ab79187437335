"use client";

import { useMsal } from "@azure/msal-react";

/** The signed-in account's id for query keys ("" before sign-in, when queries are disabled anyway). */
export function useAccountId(): string {
  const { instance, accounts } = useMsal();
  const account = instance.getActiveAccount() ?? accounts[0];
  return account?.homeAccountId ?? "";
}

/** The signed-in person's user principal name, as a run records who pressed Yes ("" before sign-in). */
export function useSignedInUpn(): string {
  const { instance, accounts } = useMsal();
  const account = instance.getActiveAccount() ?? accounts[0];
  return account?.username ?? "";
}
