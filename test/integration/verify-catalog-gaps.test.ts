/**
 * verify's catalog gaps, closed: PUBLIC's EXECUTE revoked from a function (a NULL ACL gives it,
 * an ACL without PUBLIC does not: shown only by an absence), and table inheritance (INHERITS,
 * parents in order). Each change is drift on the bundled Postgres and on Debian's Postgres 15
 * (skipped where it is not installed), and the database as migrated verifies clean on both.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { verifyAfter } from "../support/verify-after.js";
import { hasPg15, startPg15 } from "../support/pg15.js";


const PROJECT = {
  "migrations/0001_functions.sql": [
    "create function public.open_fn() returns int language sql as 'select 1';",
    "create function public.closed_fn() returns int language sql as 'select 2';",
    "revoke execute on function public.closed_fn() from public;",
    "",
  ].join("\n"),
  "migrations/0002_inheritance.sql": [
    "create table public.base (id int not null, at date, constraint base_at check (at > '2000-01-01'));",
    "create table public.tagged (tag text);",
    "create table public.child (extra text) inherits (public.base, public.tagged);",
    "create table public.archive (id int not null, at date, constraint base_at check (at > '2000-01-01'));",
    "",
  ].join("\n"),
};

/** [what, SQL run on the migrated database, exit code, a line verify prints]. */
const CASES: [string, string, number, string][] = [
  ["nothing changed", "select 1", 0, "PASSED"],
  ["PUBLIC's EXECUTE revoked from a function the migrations leave open", "revoke execute on function public.open_fn() from public", 5, "- privilege function public.open_fn() to PUBLIC: missing"],
  // Created again without the revoke: a NULL ACL, which gives PUBLIC EXECUTE.
  ["a function the migrations closed to PUBLIC, created again open", "drop function public.closed_fn(); create function public.closed_fn() returns int language sql as 'select 2'", 5, "+ privilege function public.closed_fn() to PUBLIC: not created by the migrations"],
  ["a parent unlinked from a child (NO INHERIT)", "alter table public.child no inherit public.tagged", 5, "~ table public.child: inheritance parents differs (defined in migrations/0002_inheritance.sql)"],
  ["a table linked to a parent by hand (INHERIT)", "alter table public.archive inherit public.base", 5, "~ table public.archive: inheritance parents differs"],
  ["a child's parents in another order", "alter table public.child no inherit public.base; alter table public.child inherit public.base", 5, "~ table public.child: inheritance parents differs"],
  ["PUBLIC's EXECUTE revoked and given back", "revoke execute on function public.open_fn() from public; grant execute on function public.open_fn() to public", 0, "PASSED"],
];


describe("verify: catalog facts shown by absence", () => {
  it.each(CASES)("%s", async (_what, change, code, line) => {
    const result = await verifyAfter(PROJECT, serverUrl(), change);
    expect(result.code, result.stdout + result.stderr).toBe(code);
    expect(result.stdout).toContain(line);
  });
});

describe.skipIf(!hasPg15)("verify: catalog facts shown by absence, on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("finds each change and verifies the unchanged database clean", { timeout: 240_000 }, async () => {
    const server = await startPg15("gaps");
    for (const [what, change, code, line] of CASES) {
      const result = await verifyAfter(PROJECT, server.url(), change);
      expect(result.code, `${what}:\n${result.stdout}${result.stderr}`).toBe(code);
      expect(result.stdout, what).toContain(line);
    }
  });
});
