import { describe, expect, it } from "vitest";
import { compareMatrices, ownerColumnOf } from "../../src/core/access-matrix.js";

describe("the access matrix", () => {
  it("fails on an access that appeared, names one that went away, and ignores cells not tried", () => {
    const committed = { "public.t": { anon: "----", owner: "SIUD", other: "----", service_role: "SIUD" } };
    const now = { "public.t": { anon: "S---", owner: "SI-D", other: "?---", service_role: "SIUD" }, "public.new": { anon: "----", owner: "S---", other: "----", service_role: "SIUD" } };
    const { appeared, removed } = compareMatrices(committed, now);
    expect(appeared.map((c) => `${c.table} ${c.role} ${c.command}`)).toEqual(["public.t anon select", "public.new owner select", "public.new service_role select", "public.new service_role insert", "public.new service_role update", "public.new service_role delete"]);
    expect(removed.map((c) => c.message)).toEqual(["public.t: authenticated, as the row's owner can no longer UPDATE"]);
  });

  it("finds the owner column in the policies' text as pg_policies prints it", () => {
    expect(ownerColumnOf("(auth.uid() = user_id) ", ["id", "user_id"])).toBe("user_id");
    expect(ownerColumnOf("(( SELECT auth.uid() AS uid) = owner_id)", ["owner_id"])).toBe("owner_id");
    expect(ownerColumnOf(`("authorId" = auth.uid())`, ["authorId"])).toBe("authorId");
    expect(ownerColumnOf("(auth.uid() IS NOT NULL)", ["id"])).toBeUndefined();
  });
});
