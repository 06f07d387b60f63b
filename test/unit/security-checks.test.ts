import { describe, expect, it } from "vitest";
import { securityFindings, type SecurityFacts } from "../../src/core/security-checks.js";

const FACTS: SecurityFacts = {
  tables: [{ name: "public.User", quoted: 'public."User"', rls: false, policies: 0 }],
  policies: [],
  definerFunctions: [{ signature: "public.Touch()", quoted: 'public."Touch"()', fixedSearchPath: false, anonCanExecute: true }],
  viewsOnAuthUsers: [],
  journalReachableBy: ["anon"],
  journalSchema: "dbkit",
};

describe("security findings", () => {
  it("suggest fixes that are valid SQL, with quoted identifiers", () => {
    const hints = Object.fromEntries(securityFindings(FACTS).map((f) => [f.code, f.hint]));
    expect(hints.SEC_RLS_DISABLED).toBe('alter table public."User" enable row level security; then add policies');
    expect(hints.SEC_DEFINER_ANON_EXECUTE).toBe('revoke execute on function public."Touch"() from anon, public');
    expect(hints.SEC_JOURNAL_EXPOSED).toBe("revoke all on schema dbkit from anon");
  });

  it("without an API (not a Supabase project) keep only the checks that hold for any database", () => {
    expect(securityFindings(FACTS, false).map((f) => f.code)).toEqual(["SEC_DEFINER_SEARCH_PATH"]);
  });
});
