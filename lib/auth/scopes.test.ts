import { describe, expect, it } from "vitest";
import { hasScope, LOGIN_SCOPES, PRIVILEGED_SCOPES, SCOPE_NAMES } from "./scopes";

describe("hasScope", () => {
  it("accepts a bare name and a resource URI, in any case", () => {
    expect(hasScope(["DeviceManagementManagedDevices.Read.All"], SCOPE_NAMES.readDevices)).toBe(true);
    expect(
      hasScope(["https://graph.microsoft.com/devicemanagementmanageddevices.privilegedoperations.all"], SCOPE_NAMES.privilegedOperations),
    ).toBe(true);
  });

  it("does not confuse a scope with one that merely contains its name", () => {
    expect(hasScope(["DeviceManagementManagedDevices.Read.All"], SCOPE_NAMES.privilegedOperations)).toBe(false);
    expect(hasScope(["openid", "profile"], SCOPE_NAMES.readDevices)).toBe(false);
  });

  it("logs in with the read scopes only, each as a Graph resource URI", () => {
    expect(LOGIN_SCOPES).toHaveLength(4);
    for (const scope of LOGIN_SCOPES) expect(scope.startsWith("https://graph.microsoft.com/")).toBe(true);
    expect(hasScope(LOGIN_SCOPES, SCOPE_NAMES.readDevices)).toBe(true);
    expect(hasScope(LOGIN_SCOPES, SCOPE_NAMES.readServiceConfig)).toBe(true);
    expect(hasScope(LOGIN_SCOPES, SCOPE_NAMES.readRbac)).toBe(true);
    expect(LOGIN_SCOPES).toContain("https://graph.microsoft.com/User.Read");
    expect(hasScope(LOGIN_SCOPES, SCOPE_NAMES.privilegedOperations)).toBe(false);
  });

  it("asks for PrivilegedOperations only when resetting or syncing", () => {
    expect(PRIVILEGED_SCOPES).toEqual(["https://graph.microsoft.com/DeviceManagementManagedDevices.PrivilegedOperations.All"]);
  });
});
