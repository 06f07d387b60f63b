/**
 * verify compares privileges on types (enums, domains, composite and range types) as
 * Postgres applies them: a type never granted on lets PUBLIC use it, so a lone `REVOKE USAGE ON
 * TYPE ... FROM PUBLIC` is drift, and so is a grant made by hand to a role the migrations name.
 * Array types, multiranges and tables' row types are not compared (they follow their element type, range and table).
 * Each change is drift on the bundled Postgres and on Debian's Postgres 15 (skipped where it is
 * not installed), and the database as migrated verifies clean on both.
 */
import { describe, expect, it } from "vitest";
import { readCatalog } from "../../src/db/catalog-reader.js";
import { createTestDatabase, serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";
import { verifyAfter } from "../support/verify-after.js";
import { hasPg15, startPg15 } from "../support/pg15.js";

const ROLE = "dbkit_type_user";

const PROJECT = {
  "migrations/0001_types.sql": [
    `do $$ begin if not exists (select from pg_roles where rolname = '${ROLE}') then create role ${ROLE} nologin; end if; end $$;`,
    "create type public.mood as enum ('happy', 'sad');",
    "create domain public.email as text check (value like '%@%');",
    "create type public.pair as (a int, b int);",
    "create type public.span as range (subtype = int4);",
    "create type public.secret as enum ('x');",
    "revoke usage on type public.secret from public;",
    `grant usage on domain public.email to ${ROLE};`,
    "create table public.people (id int primary key, mood public.mood, moods public.mood[], email public.email);",
    "",
  ].join("\n"),
};

/** [what, SQL run on the migrated database, exit code, the lines verify prints]. */
const CASES: [string, string, number, string[]][] = [
  ["nothing changed", "select 1", 0, ["PASSED"]],
  ["PUBLIC's USAGE revoked from an enum the migrations leave open", "revoke usage on type public.mood from public", 5, ["- privilege type public.mood to PUBLIC: missing"]],
  ["PUBLIC's USAGE revoked from a domain, a composite and a range type", "revoke usage on domain public.email from public; revoke usage on type public.pair from public; revoke usage on type public.span from public", 5, [
    "- privilege type public.email to PUBLIC: missing",
    "- privilege type public.pair to PUBLIC: missing",
    "- privilege type public.span to PUBLIC: missing",
  ]],
  ["a type the migrations closed to PUBLIC, given back to PUBLIC by hand", "grant usage on type public.secret to public", 5, ["+ privilege type public.secret to PUBLIC: not created by the migrations"]],
  ["a domain grant the migrations make, revoked by hand", `revoke usage on domain public.email from ${ROLE}`, 5, [`- privilege type public.email to ${ROLE}: missing`]],
  ["a grant on an enum made by hand to a role the migrations name", `grant usage on type public.mood to ${ROLE}`, 5, [`+ privilege type public.mood to ${ROLE}: not created by the migrations`]],
  ["a type the migrations closed to PUBLIC, created again open", "drop type public.secret; create type public.secret as enum ('x')", 5, ["+ privilege type public.secret to PUBLIC: not created by the migrations"]],
  // Not on the compared types' own ACLs: the array type cannot be granted on, the row type follows its table.
  ["a grant on a table's row type", `grant usage on type public.people to ${ROLE}`, 0, ["PASSED"]],
  ["PUBLIC's USAGE revoked and given back", "revoke usage on type public.mood from public; grant usage on type public.mood to public", 0, ["PASSED"]],
];


describe("verify: privileges on types", () => {
  it.each(CASES)("%s", async (_what, change, code, lines) => {
    const result = await verifyAfter(PROJECT, serverUrl(), change);
    expect(result.code, result.stdout + result.stderr).toBe(code);
    for (const line of lines) expect(result.stdout).toContain(line);
  });

  it("reads each type's own privileges: none for array types (they follow their element type) or a table's row type", async () => {
    const db = await createTestDatabase();
    const dir = await createProject(PROJECT);
    expect((await runCli(["migrate"], { cwd: dir, env: { DATABASE_URL: db.url } })).code).toBe(0);
    await db.sql.unsafe(`grant usage on type public.people to ${ROLE}`);
    const catalog = await db.sql.begin((tx) => readCatalog(tx, { schemas: ["public"], foreign: [], roles: ["", ROLE], extensions: [] }));
    const types = catalog.objects.filter((o) => o.key.startsWith("privilege type ")).map((o) => `${o.key} ${String(o.props.privileges)}`);
    expect(types.sort()).toEqual([
      "privilege type public.email to PUBLIC U",
      `privilege type public.email to ${ROLE} U`,
      "privilege type public.mood to PUBLIC U",
      "privilege type public.pair to PUBLIC U",
      "privilege type public.span to PUBLIC U",
    ]);
  });

  it("reports a missing type once, not once more per grantee; --json names the privilege like a function's", async () => {
    const result = await verifyAfter(PROJECT, serverUrl(), "drop type public.pair");
    expect(result.code, result.stdout + result.stderr).toBe(5);
    expect(result.stdout).toContain("- type public.pair: missing");
    expect(result.stdout).not.toContain("privilege type public.pair");

    const db = await createTestDatabase();
    const dir = await createProject(PROJECT);
    const env = { DATABASE_URL: db.url };
    expect((await runCli(["migrate"], { cwd: dir, env })).code).toBe(0);
    await db.sql.unsafe("revoke usage on type public.mood from public");
    const json = await runCli(["verify", "--json", "--shadow-url", serverUrl()], { cwd: dir, env });
    expect(json.code).toBe(5);
    const privileges = (JSON.parse(json.stdout) as { sections: { name: string; findings: { object: string; mark: string; message: string }[] }[] }).sections.find((s) => s.name === "Privileges");
    expect(privileges?.findings).toContainEqual(expect.objectContaining({ object: "privilege type public.mood to PUBLIC", mark: "-", message: "missing" }));
  });
});

describe.skipIf(!hasPg15)("verify: privileges on types, on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("finds each change and verifies the unchanged database clean", { timeout: 240_000 }, async () => {
    const server = await startPg15("type-privileges");
    for (const [what, change, code, lines] of CASES) {
      const result = await verifyAfter(PROJECT, server.url(), change);
      expect(result.code, `${what}:\n${result.stdout}${result.stderr}`).toBe(code);
      for (const line of lines) expect(result.stdout, what).toContain(line);
    }
  });
});
