import { describe, expect, it } from "vitest";
import { policyFindings, type PolicyFacts } from "../../src/core/lint-policies.js";

const policy = (name: string, parts: Partial<PolicyFacts> = {}): PolicyFacts => ({ table: "public.t", name, permissive: true, command: "SELECT", roles: ["authenticated"], using: null, withCheck: null, rls: true, ...parts });
const codes = (policies: PolicyFacts[]) => policyFindings(policies).map((f) => `${f.code} ${f.object}`);

describe("lint's policy checks (Supabase's advisor)", () => {
  it("auth.uid() / auth.jwt() per row is found in USING and WITH CHECK; wrapped in a select (as pg_get_expr deparses it) it is not", () => {
    expect(codes([policy("a", { using: "(auth.uid() = owner)" })])).toEqual(["policy-calls-auth-per-row policy public.t.a"]);
    expect(codes([policy("b", { command: "INSERT", withCheck: "((auth.jwt() ->> 'sub'::text) = owner)" })])).toEqual(["policy-calls-auth-per-row policy public.t.b"]);
    expect(codes([policy("c", { using: "(( SELECT auth.uid() AS uid) = owner)" })])).toEqual([]);
    // One wrapped call does not excuse another that is not.
    expect(codes([policy("d", { using: "((( SELECT auth.uid() AS uid) = owner) OR (auth.role() = 'service_role'::text))" })])).toEqual(["policy-calls-auth-per-row policy public.t.d"]);
  });

  it("user_metadata read from the JWT is an error; app_metadata is not", () => {
    const found = policyFindings([policy("a", { using: "((( SELECT auth.jwt() AS jwt) -> 'user_metadata'::text) ->> 'role'::text) = 'admin'::text" })]);
    expect(found).toMatchObject([{ code: "policy-reads-user-metadata", level: "error", object: "policy public.t.a" }]);
    expect(codes([policy("b", { using: "((( SELECT auth.jwt() AS jwt) -> 'app_metadata'::text) ->> 'role'::text) = 'admin'::text" })])).toEqual([]);
  });

  it("several permissive policies for one role and command are one finding named after the last; restrictive ones, other roles and other commands are not", () => {
    expect(codes([policy("a"), policy("b", { command: "ALL" })])).toEqual(["multiple-permissive-policies policy public.t.b"]);
    expect(policyFindings([policy("a"), policy("b", { command: "ALL" })])[0]!.message).toContain("(with a, for authenticated SELECT)");
    expect(codes([policy("a"), policy("b", { permissive: false })])).toEqual([]);
    expect(codes([policy("a"), policy("b", { roles: ["anon"] })])).toEqual([]);
    expect(codes([policy("a"), policy("b", { command: "UPDATE" })])).toEqual([]);
    expect(codes([policy("a"), policy("b", { table: "public.u" })])).toEqual([]);
  });

  it("a policy for PUBLIC (no TO clause) overlaps the policies of every role for the same command", () => {
    expect(codes([policy("a", { roles: ["public"] }), policy("b")])).toEqual(["multiple-permissive-policies policy public.t.b"]);
    expect(policyFindings([policy("a", { roles: ["public"] }), policy("b"), policy("c", { roles: ["anon"] })]).map((f) => f.message)).toEqual([
      expect.stringContaining("(with a, for authenticated SELECT)"),
      expect.stringContaining("(with a, for anon SELECT)"),
    ]);
    expect(codes([policy("a", { roles: ["public"] }), policy("b", { roles: ["public"], command: "INSERT" })])).toEqual([]);
  });

  it("policies on a table without RLS are one finding for the table", () => {
    expect(codes([policy("a", { rls: false }), policy("b", { rls: false, command: "UPDATE" })])).toEqual(["policy-without-rls table public.t"]);
  });
});
