/**
 * diff writes privileges on types (enums, domains, composite and range types) as Postgres applies
 * them: `REVOKE USAGE ON TYPE ... FROM PUBLIC` where the desired state revoked PUBLIC's default
 * USAGE, `GRANT USAGE ON DOMAIN ... TO r`, and back. Round trips on the bundled Postgres and on
 * Debian's Postgres 15 (skipped where it is not installed), and the CLI capturing a hand-made
 * revoke from a live database, proven.
 */
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { diffRoundTrip } from "../support/diff-round-trip.js";
import { project, read } from "../support/diff-project.js";
import { hasPg15, startPg15 } from "../support/pg15.js";

const ROLE = "dbkit_dt_user";
const createRole = `do $$ begin create role ${ROLE}; exception when duplicate_object or unique_violation then null; end $$`;

beforeAll(async () => {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
  await admin.unsafe(createRole); // roles are the server's, shared by every test database
  await admin.end();
});

/** A round trip that must be exact, with nothing unsupported; returns the plan's SQL. */
async function exact(from: string, to: string, server?: string): Promise<string> {
  const trip = await diffRoundTrip(from, to, server ? { serverUrl: server } : {});
  expect(trip.plan.unsupported, trip.sql).toEqual([]);
  expect(trip.differences, trip.sql).toEqual([]);
  return trip.sql;
}

const TYPES = [
  "create type public.mood as enum ('happy', 'sad');",
  "create domain public.email as text check (value like '%@%');",
  "create type public.pair as (a int, b int);",
  "create type public.span as range (subtype = int4);",
].join(" ");
const CLOSED = `${TYPES} revoke usage on type public.mood from public; revoke usage on domain public.email from public; revoke usage on type public.pair from public; revoke usage on type public.span from public;`;
const GRANTED = `${TYPES} grant usage on domain public.email to ${ROLE}; grant usage on type public.mood to ${ROLE};`;

describe("diff round trip: privileges on types", () => {
  it("revokes PUBLIC's USAGE alone from an enum, a domain, a composite and a range type that had no ACL, and grants it back", async () => {
    const sql = await exact(TYPES, CLOSED);
    expect(sql).toContain("REVOKE USAGE ON TYPE public.mood FROM PUBLIC;");
    expect(sql).toContain("REVOKE USAGE ON DOMAIN public.email FROM PUBLIC;");
    expect(sql).toContain("REVOKE USAGE ON TYPE public.pair FROM PUBLIC;");
    expect(sql).toContain("REVOKE USAGE ON TYPE public.span FROM PUBLIC;");
    const back = await exact(CLOSED, TYPES);
    expect(back).toContain("GRANT USAGE ON TYPE public.mood TO PUBLIC;");
    expect(back).toContain("GRANT USAGE ON DOMAIN public.email TO PUBLIC;");
  });

  it("grants and revokes USAGE on a domain and an enum to a role", async () => {
    const sql = await exact(TYPES, GRANTED);
    expect(sql).toContain(`GRANT USAGE ON DOMAIN public.email TO ${ROLE};`);
    expect(sql).toContain(`GRANT USAGE ON TYPE public.mood TO ${ROLE};`);
    expect(await exact(GRANTED, TYPES)).toContain(`REVOKE USAGE ON DOMAIN public.email FROM ${ROLE};`);
  });

  it("creates types closed to PUBLIC or granted to a role, after the type; creates open ones with no grant (the default)", async () => {
    const modelled = "create type public.mood as enum ('happy', 'sad'); create domain public.email as text; create type public.pair as (a int, b int);";
    const closed = `${modelled} revoke usage on type public.mood from public; revoke usage on domain public.email from public; revoke usage on type public.pair from public; grant usage on domain public.email to ${ROLE};`;
    const sql = await exact("", closed);
    expect(sql.indexOf("REVOKE USAGE ON TYPE public.mood FROM PUBLIC;")).toBeGreaterThan(sql.indexOf("CREATE TYPE public.mood"));
    expect(sql).toContain("REVOKE USAGE ON DOMAIN public.email FROM PUBLIC;");
    expect(sql).toContain(`GRANT USAGE ON DOMAIN public.email TO ${ROLE};`);
    expect(await exact("", modelled)).not.toMatch(/GRANT|REVOKE/);
  });

  it("writes no grant to the role that creates a new type (its owner holds USAGE), where the migrations name that role", async () => {
    const owner = decodeURIComponent(new URL(serverUrl()).username);
    const named = `create schema app; grant usage on schema app to "${owner}";`;
    // Range types are left out: diff does not create them.
    expect(await exact(named, `${named} create type app.mood as enum ('a'); create domain app.email as text; create type app.pair as (a int);`)).not.toMatch(/GRANT|REVOKE/);
  });

  it("creates a type under default privileges that revoke PUBLIC's USAGE, granting it where asked", async () => {
    const defaults = "create schema dbkit; create table dbkit.migrations (version text); alter default privileges revoke usage on types from public;";
    const sql = await exact(defaults, `${defaults} create type public.mood as enum ('a'); create domain public.email as text; grant usage on type public.mood to public;`);
    expect(sql).toContain("GRANT USAGE ON TYPE public.mood TO PUBLIC;");
    expect(sql).not.toContain("public.email TO PUBLIC");
  });

  it("writes nothing for a type's privileges that are the same, and none for tables' row types and array types", async () => {
    const table = "create table public.people (id int, moods public.mood[]);";
    const trip = await diffRoundTrip(`${TYPES} ${table}`, `${TYPES} ${table} grant usage on type public.people to ${ROLE};`);
    expect(trip.plan.statements).toEqual([]);
    expect(trip.plan.unsupported).toEqual([]);
  });
});

describe.skipIf(!hasPg15)("diff round trip: privileges on types, on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("revokes and grants PUBLIC's USAGE and a role's, on existing and new types", { timeout: 240_000 }, async () => {
    const server = await startPg15("diff-types");
    const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
    await admin.unsafe(createRole);
    await admin.end();
    for (const [from, to] of [[TYPES, CLOSED], [CLOSED, TYPES], [TYPES, GRANTED], [GRANTED, CLOSED]] as const) await exact(from, to, server.url());
    expect(await exact("", CLOSED.replace("create type public.span as range (subtype = int4);", "").replace("revoke usage on type public.span from public;", ""), server.url())).toContain("REVOKE USAGE ON TYPE public.mood FROM PUBLIC;");
  });
});

describe("dbkit diff --from-migrations --to-url: a type's privileges changed by hand", () => {
  it("captures a lone REVOKE USAGE ON TYPE ... FROM PUBLIC, proven; verify finds no drift after migrate", async () => {
    const s = await project({ "migrations/0001_types.sql": "create type public.mood as enum ('happy', 'sad');\ncreate domain public.email as text;\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("revoke usage on type public.mood from public; revoke usage on domain public.email from public");
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(5);

    const result = await s.diff(["--from-migrations", "--to-url", s.db.url, "close", "types"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("proven: the migration gives");
    const written = read(s, "migrations/0002_close_types.sql");
    expect(written).toContain("REVOKE USAGE ON TYPE public.mood FROM PUBLIC;");
    expect(written).toContain("REVOKE USAGE ON DOMAIN public.email FROM PUBLIC;");
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(0);
  });
});
