import { describe, expect, it, vi } from "vitest";
import type { ProvisioningNames } from "@/lib/devices/provisioning";
import { NAMES_LIFETIME_MS, namesFor, namesKey, namesMemo } from "./names-cache";

const READ: ProvisioningNames = { kind: "read", devicePreparationPolicies: ["Prep"], autopilotProfiles: ["Contoso"] };
const OUTAGE: ProvisioningNames = { kind: "unreadable", lasting: false, why: "Graph was unavailable." };
const REFUSED: ProvisioningNames = { kind: "unreadable", lasting: true, why: "the app lacks consent." };
const MEGAN = { tenantId: "Tenant-1", userId: "OID-megan" };
const T = 1_000_000;

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
  it("reads once per caller within the lifetime (on the clock given), then again", async () => {
    let now = T;
    const memo = namesMemo(() => now);
    const read = vi.fn(async () => READ);
    expect(await namesFor(memo, MEGAN, read)).toEqual(READ);
    now += NAMES_LIFETIME_MS;
    expect(await namesFor(memo, MEGAN, read)).toEqual(READ);
    expect(read).toHaveBeenCalledTimes(1);
    now += 1;
    await namesFor(memo, MEGAN, read);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it("never hands one person's read to another, nor across tenants", async () => {
    const memo = namesMemo(() => T);
    const read = vi.fn(async () => READ);
    await namesFor(memo, MEGAN, read);
    await namesFor(memo, { tenantId: "Tenant-1", userId: "oid-isaiah" }, read);
    await namesFor(memo, { tenantId: "Tenant-2", userId: "OID-megan" }, read);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it("keeps no failure, passing or lasting, and nothing for a caller without a user id", async () => {
    const memo = namesMemo(() => T);
    for (const answer of [OUTAGE, REFUSED]) {
      const read = vi.fn(async () => answer);
      expect(await namesFor(memo, MEGAN, read)).toEqual(answer);
      await namesFor(memo, MEGAN, read);
      expect(read).toHaveBeenCalledTimes(2);
    }
    const read = vi.fn(async () => READ);
    await namesFor(memo, { tenantId: "Tenant-1" }, read);
    await namesFor(memo, { tenantId: "Tenant-1" }, read);
    expect(read).toHaveBeenCalledTimes(2);
    expect(memo.size).toBe(0);
  });

  it("forgets the least recently used caller beyond its size", async () => {
    const memo = namesMemo(() => T, 2);
    const read = vi.fn(async () => READ);
    const who = (userId: string) => ({ tenantId: "t", userId });
    await namesFor(memo, who("a"), read);
    await namesFor(memo, who("b"), read);
    await namesFor(memo, who("a"), read); // used again: now the most recent
    await namesFor(memo, who("c"), read); // forgets b
    expect(read).toHaveBeenCalledTimes(3);
    await namesFor(memo, who("a"), read);
    expect(read).toHaveBeenCalledTimes(3);
    await namesFor(memo, who("b"), read);
    expect(read).toHaveBeenCalledTimes(4);
  });
});
