import { describe, expect, it } from "vitest";
import { parseDirectives } from "../../src/core/directives.js";
import { diffSnapshots, type LintSnapshot } from "../../src/core/lint-facts.js";
import { allowReason, failsAt, lintFile, type LintFinding } from "../../src/core/lint-rules.js";

const TABLE = 10;
function snapshot(parts: Partial<LintSnapshot> = {}): LintSnapshot {
  return {
    relations: new Map([[TABLE, { name: "public.t", kind: "r", node: 100 }]]),
    columns: new Map([[`${TABLE}:1`, { name: "a", notNull: false, dropped: false }]]),
    constraints: new Map(),
    indexes: new Map(),
    locks: new Set(),
    ...parts,
  };
}
const check = (validated: boolean) => ({ table: TABLE, name: "t_a_not_null", type: "c", validated, definition: "CHECK ((a IS NOT NULL))", index: 0 });

describe("lint facts and rules", () => {
  it("VALIDATE CONSTRAINT is a scan under lock only while the transaction holds a heavy lock from ADD ... NOT VALID", () => {
    const before = snapshot({ constraints: new Map([[1, check(false)]]) });
    const validated = { constraints: new Map([[1, check(true)]]) };
    expect(diffSnapshots(before, snapshot({ ...validated, locks: new Set([`${TABLE}:ShareUpdateExclusiveLock`]) })).validated).toEqual([]);
    expect(diffSnapshots(before, snapshot({ ...validated, locks: new Set([`${TABLE}:AccessExclusiveLock`]) })).validated).toEqual([{ table: "public.t", name: "t_a_not_null", type: "c", newIndex: false }]);
  });

  it("SET NOT NULL is no scan when a validated CHECK (col IS NOT NULL) proves it", () => {
    const notNull = { columns: new Map([[`${TABLE}:1`, { name: "a", notNull: true, dropped: false }]]) };
    expect(diffSnapshots(snapshot(), snapshot(notNull)).setNotNull).toEqual([{ table: "public.t", column: "a" }]);
    const proven = { constraints: new Map([[1, check(true)]]) };
    expect(diffSnapshots(snapshot(proven), snapshot({ ...proven, ...notNull })).setNotNull).toEqual([]);
  });

  it("a relfilenode change is a rewrite, except under TRUNCATE", () => {
    const facts = diffSnapshots(snapshot(), snapshot({ relations: new Map([[TABLE, { name: "public.t", kind: "r", node: 200 }]]) }));
    expect(lintFile("m.sql", [{ line: 3, kind: "AlterTableStmt", text: "alter table ...", facts }], true).map((f) => f.code)).toEqual(["table-rewrite"]);
    expect(lintFile("m.sql", [{ line: 3, kind: "TruncateStmt", text: "truncate t", facts }], true)).toEqual([]);
  });

  it("reads -- dbkit:allow <code> <reason> from the statement's leading comments only", () => {
    expect(allowReason("-- dbkit:allow drop-table gone since v41\ndrop table t", "drop-table")).toBe("gone since v41");
    expect(allowReason("-- dbkit:allow drop-column x\ndrop table t", "drop-table")).toBeUndefined();
    expect(allowReason("drop table t -- dbkit:allow drop-table x", "drop-table")).toBeUndefined();
    expect(allowReason("-- dbkit:allow drop-table\ndrop table t", "drop-table")).toBe("(no reason given)");
    // At the top of a file it is lint's, not an unknown directive.
    expect(parseDirectives("-- dbkit:allow drop-table gone\ndrop table t").problems).toEqual([]);
  });

  it("fails on errors, on warnings only with --fail-on warn, never on allowed findings", () => {
    const finding = (level: "error" | "warn", allowed?: string) => ({ level, ...(allowed ? { allowed } : {}) }) as LintFinding;
    expect(failsAt(finding("error"), "error")).toBe(true);
    expect(failsAt(finding("warn"), "error")).toBe(false);
    expect(failsAt(finding("warn"), "warn")).toBe(true);
    expect(failsAt(finding("error", "reviewed"), "warn")).toBe(false);
  });
});

describe("lint's security findings", () => {
  it("names the object a security finding is about, and attributes only new findings to the first statement naming it", async () => {
    const { objectName, securityLintFindings } = await import("../../src/core/lint-security.js");
    expect(objectName("policy public.notes.owner_only")).toBe("owner_only");
    expect(objectName('table public."User"')).toBe("User");
    expect(objectName("function public.whoami(integer)")).toBe("whoami");
    const finding = (object: string) => ({ level: "error" as const, code: "SEC_RLS_DISABLED", object, message: "m", hint: "h" });
    const statements = [
      { file: "a.sql", line: 1, text: "-- the users table\nselect 1" },
      { file: "a.sql", line: 3, text: 'create table public."User" (id int)' },
    ];
    const found = securityLintFindings([finding("table public.old")], [finding("table public.old"), finding('table public."User"')], statements);
    expect(found.map((f) => [f.code, f.file, f.line])).toEqual([["SEC_RLS_DISABLED", "a.sql", 3]]);
  });
});
