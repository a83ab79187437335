import { describe, expect, it } from "vitest";
import { PERMISSION_READ_DEVICES, PERMISSION_RUN_REMEDIATION, PERMISSION_SYNC, PERMISSION_WIPE, roleGrants, rolePermissionsFrom, scopesInToken } from "./permissions";

describe("roleGrants", () => {
  it("reads Run remediation, wildcards and denials included", () => {
    expect(roleGrants([{ resourceActions: [{ allowedResourceActions: [PERMISSION_WIPE] }] }], PERMISSION_RUN_REMEDIATION)).toBe(false);
    expect(roleGrants([{ resourceActions: [{ allowedResourceActions: ["Microsoft.Intune_RemoteTasks_*"] }] }], PERMISSION_RUN_REMEDIATION)).toBe(true);
    expect(roleGrants([{ resourceActions: [{ allowedResourceActions: ["*"], notAllowedResourceActions: [PERMISSION_RUN_REMEDIATION] }] }], PERMISSION_RUN_REMEDIATION)).toBe(false);
  });
});

describe("rolePermissionsFrom", () => {
  it("reads allowedResourceActions", () => {
    expect(rolePermissionsFrom([{ resourceActions: [{ allowedResourceActions: [PERMISSION_READ_DEVICES, PERMISSION_SYNC] }] }])).toEqual({
      canRead: true,
      canWipe: false,
      canSync: true,
    });
  });

  it("reads the flat actions list and either separator", () => {
    expect(rolePermissionsFrom([{ actions: ["Microsoft.Intune/RemoteTasks/Wipe", "Microsoft.Intune/ManagedDevices/Read"] }])).toMatchObject({
      canRead: true,
      canWipe: true,
    });
  });

  it("honours wildcards and lets notAllowed win", () => {
    expect(rolePermissionsFrom([{ resourceActions: [{ allowedResourceActions: ["*"] }] }])).toEqual({ canRead: true, canWipe: true, canSync: true });
    expect(
      rolePermissionsFrom([
        { resourceActions: [{ allowedResourceActions: ["Microsoft.Intune_RemoteTasks_*"], notAllowedResourceActions: [PERMISSION_WIPE] }] },
      ]),
    ).toEqual({ canRead: false, canWipe: false, canSync: true });
  });

  it("allows nothing for an empty answer", () => {
    expect(rolePermissionsFrom([])).toEqual({ canRead: false, canWipe: false, canSync: false });
  });
});

describe("scopesInToken", () => {
  const token = (claims: unknown) => `h.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`;

  it("reads scp", () => {
    expect(scopesInToken(token({ scp: "A.Read.All B.All" }))).toEqual(["A.Read.All", "B.All"]);
  });

  it("is undefined when the token cannot be read", () => {
    expect(scopesInToken("a.%%%.c")).toBeUndefined();
    expect(scopesInToken(token({ roles: [] }))).toBeUndefined();
    expect(scopesInToken("nodots")).toBeUndefined();
  });
});
