import { describe, expect, it, vi } from "vitest";
import type { ProvisioningNames } from "@/lib/devices/provisioning";
import { NAMES_LIFETIME_MS, namesFor, namesKey, TimedMemo } from "./names-cache";

const READ: ProvisioningNames = { kind: "read", devicePreparationPolicies: ["Prep"], autopilotProfiles: ["Contoso"] };
const OUTAGE: ProvisioningNames = { kind: "unreadable", lasting: false, why: "Graph was unavailable." };
const REFUSED: ProvisioningNames = { kind: "unreadable", lasting: true, why: "the app lacks consent." };
const MEGAN = { tenantId: "Tenant-1", userId: "OID-megan" };
const T = 1_000_000;

describe("TimedMemo", () => {
  it("keeps a value for its lifetime and not a millisecond longer", () => {
    const memo = new TimedMemo<string>(60_000, 10);
    memo.set("k", "v", T);
    expect(memo.get("k", T)).toBe("v");
    expect(memo.get("k", T + 59_999)).toBe("v");
    expect(memo.get("k", T + 60_000)).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it("drops a value read 'after' now: the server's clock stepped back", () => {
    const memo = new TimedMemo<string>(60_000, 10);
    memo.set("k", "v", T);
    expect(memo.get("k", T - 1)).toBeUndefined();
  });

  it("forgets the oldest read first beyond its size", () => {
    const memo = new TimedMemo<number>(60_000, 2);
    memo.set("a", 1, T);
    memo.set("b", 2, T + 1);
    memo.set("a", 3, T + 2); // read again: now the newest
    memo.set("c", 4, T + 3);
    expect(memo.get("b", T + 4)).toBeUndefined();
    expect(memo.get("a", T + 4)).toBe(3);
    expect(memo.get("c", T + 4)).toBe(4);
  });
});

describe("namesKey", () => {
  it("is tenant and user, any case; none without a user id", () => {
    expect(namesKey(MEGAN)).toBe(namesKey({ tenantId: "tenant-1", userId: "oid-MEGAN" }));
    expect(namesKey(MEGAN)).not.toBe(namesKey({ tenantId: "tenant-1", userId: "oid-isaiah" }));
    expect(namesKey(MEGAN)).not.toBe(namesKey({ tenantId: "tenant-2", userId: "oid-megan" }));
    expect(namesKey({ tenantId: "tenant-1" })).toBeUndefined();
    expect(namesKey({ tenantId: "tenant-1", userId: " " })).toBeUndefined();
  });
});

describe("namesFor", () => {
  it("reads once per caller within the lifetime, then again", async () => {
    const memo = new TimedMemo<ProvisioningNames>(NAMES_LIFETIME_MS, 10);
    const read = vi.fn(async () => READ);
    let now = T;
    expect(await namesFor(memo, MEGAN, () => now, read)).toEqual(READ);
    now += NAMES_LIFETIME_MS - 1;
    expect(await namesFor(memo, MEGAN, () => now, read)).toEqual(READ);
    expect(read).toHaveBeenCalledTimes(1);
    now += 1;
    await namesFor(memo, MEGAN, () => now, read);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it("never hands one person's read to another, nor across tenants", async () => {
    const memo = new TimedMemo<ProvisioningNames>(NAMES_LIFETIME_MS, 10);
    const read = vi.fn(async () => READ);
    await namesFor(memo, MEGAN, () => T, read);
    await namesFor(memo, { tenantId: "Tenant-1", userId: "oid-isaiah" }, () => T, read);
    await namesFor(memo, { tenantId: "Tenant-2", userId: "OID-megan" }, () => T, read);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it("keeps no failure, passing or lasting, and nothing for a caller without a user id", async () => {
    const memo = new TimedMemo<ProvisioningNames>(NAMES_LIFETIME_MS, 10);
    for (const answer of [OUTAGE, REFUSED]) {
      const read = vi.fn(async () => answer);
      expect(await namesFor(memo, MEGAN, () => T, read)).toEqual(answer);
      await namesFor(memo, MEGAN, () => T, read);
      expect(read).toHaveBeenCalledTimes(2);
    }
    const read = vi.fn(async () => READ);
    await namesFor(memo, { tenantId: "Tenant-1" }, () => T, read);
    await namesFor(memo, { tenantId: "Tenant-1" }, () => T, read);
    expect(read).toHaveBeenCalledTimes(2);
    expect(memo.size).toBe(0);
  });
});
