/**
 * diff writes range types: `CREATE TYPE ... AS RANGE (...)` with its subtype, operator class,
 * collation, subtype_diff function and multirange name (never the constructor functions or the
 * multirange Postgres makes with the type), `DROP TYPE` ordered with the tables that use it, a
 * renamed multirange, and a definition Postgres cannot alter listed as unsupported. Round trips
 * on the bundled Postgres and on Debian's Postgres 15 (skipped where it is not installed), and
 * the CLI capturing a range type made by hand, proven.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { diffRoundTrip } from "../support/diff-round-trip.js";
import { project, read } from "../support/diff-project.js";
import { hasPg15, startPg15 } from "../support/pg15.js";

const DIFF_FUNCTION = "create function public.seconds_between(a timestamp, b timestamp) returns float8 language sql immutable as $$ select extract(epoch from a - b)::float8 $$;";
const RANGES = [
  "create type public.span as range (subtype = int4);",
  DIFF_FUNCTION,
  "create type public.stay as range (subtype = timestamp, subtype_diff = public.seconds_between);",
  'create type public.words as range (subtype = text, collation = "C", multirange_type_name = public.word_sets);',
  "create type public.prefixes as range (subtype = text, subtype_opclass = text_pattern_ops);",
  "revoke usage on type public.prefixes from public;",
  "comment on type public.span is 'Seats, as numbers';",
  "create table public.bookings (id int primary key, during public.stay, spans public.span_multirange, names public.words[]);",
].join("\n");
/** What is left once the range types and the table using them are dropped. */
const REMAINS = DIFF_FUNCTION;

/** A round trip that must be exact, with nothing unsupported; returns the plan's SQL. */
async function exact(from: string, to: string, server?: string): Promise<string> {
  const trip = await diffRoundTrip(from, to, server ? { serverUrl: server } : {});
  expect(trip.plan.unsupported, trip.sql).toEqual([]);
  expect(trip.differences, trip.sql).toEqual([]);
  return trip.sql;
}

function expectCreates(sql: string) {
  expect(sql).toContain("CREATE TYPE public.span AS RANGE (SUBTYPE = integer, MULTIRANGE_TYPE_NAME = public.span_multirange);");
  expect(sql).toContain("CREATE TYPE public.stay AS RANGE (SUBTYPE = timestamp without time zone, SUBTYPE_DIFF = public.seconds_between, MULTIRANGE_TYPE_NAME = public.stay_multirange);");
  expect(sql).toContain('CREATE TYPE public.words AS RANGE (SUBTYPE = text, COLLATION = "C", MULTIRANGE_TYPE_NAME = public.word_sets);');
  expect(sql).toContain("CREATE TYPE public.prefixes AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = text_pattern_ops, MULTIRANGE_TYPE_NAME = public.prefixes_multirange);");
  expect(sql).toContain("REVOKE USAGE ON TYPE public.prefixes FROM PUBLIC;");
  expect(sql).toContain("COMMENT ON TYPE public.span IS 'Seats, as numbers';");
  // The type's own functions are made with it.
  expect(sql).not.toMatch(/FUNCTION public\.(span|stay|words|word_sets|prefixes)/);
  expect(sql.indexOf("CREATE TYPE public.stay")).toBeGreaterThan(sql.indexOf("CREATE FUNCTION public.seconds_between"));
  expect(sql.indexOf("CREATE TABLE public.bookings")).toBeGreaterThan(Math.max(sql.indexOf("CREATE TYPE public.stay"), sql.indexOf("CREATE TYPE public.span"), sql.indexOf("CREATE TYPE public.words")));
}

describe("diff round trip: range types", () => {
  it("creates range types with their definition, after the function they name and before the table that uses them", async () => {
    expectCreates(await exact("", RANGES));
  });

  it("drops range types after the table that uses them", async () => {
    const sql = await exact(RANGES, REMAINS);
    expect(sql.indexOf("DROP TYPE public.stay;")).toBeGreaterThan(sql.indexOf("DROP TABLE public.bookings;"));
    expect(sql.indexOf("DROP TYPE public.span;")).toBeGreaterThan(sql.indexOf("DROP TABLE public.bookings;"));
    expect(sql).toContain("DROP TYPE public.prefixes;");
    expect(sql).not.toMatch(/FUNCTION public\.(span|stay|words|word_sets|prefixes)|word_sets|_multirange/);
  });

  it("renames a multirange; lists a changed subtype, collation or subtype_diff as a change it cannot write", async () => {
    const renamed = await exact(RANGES, RANGES.replace("public.word_sets)", "public.word_multis)"));
    expect(renamed).toContain("ALTER TYPE public.word_sets RENAME TO word_multis;");

    for (const [what, from, to] of [
      ["subtype", "create type public.span as range (subtype = int4);", "create type public.span as range (subtype = int8);"],
      ["collation", 'create type public.words as range (subtype = text, collation = "C");', 'create type public.words as range (subtype = text, collation = "POSIX");'],
      ["subtypeDiff", `${DIFF_FUNCTION} create type public.stay as range (subtype = timestamp, subtype_diff = public.seconds_between);`, `${DIFF_FUNCTION} create type public.stay as range (subtype = timestamp);`],
    ]) {
      const trip = await diffRoundTrip(from!, to!);
      expect(trip.plan.unsupported.map((u) => u.reason), what).toEqual([expect.stringContaining(`a range type's ${what} cannot be altered`)]);
      expect(trip.plan.statements, what).toEqual([]);
    }
  });
});

describe.skipIf(!hasPg15)("diff round trip: range types, on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("creates, drops and renames them there", { timeout: 240_000 }, async () => {
    const server = await startPg15("diff-ranges");
    expectCreates(await exact("", RANGES, server.url()));
    expect(await exact(RANGES, REMAINS, server.url())).toContain("DROP TYPE public.span;");
    expect(await exact(RANGES, RANGES.replace("public.word_sets)", "public.word_multis)"), server.url())).toContain("ALTER TYPE public.word_sets RENAME TO word_multis;");
  });
});

describe("dbkit diff --from-migrations --to-url: a range type made by hand", () => {
  it("writes CREATE TYPE ... AS RANGE, proven; verify finds no drift once it is migrated", async () => {
    const s = await project({ "migrations/0001_base.sql": "create table public.notes (id bigint primary key);\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await s.db.sql.unsafe("create type public.span as range (subtype = int4); alter table public.notes add column during public.span");
    expect((await s.dbkit(["verify", "--shadow-url", serverUrl()])).code).toBe(5);

    const result = await s.diff(["--from-migrations", "--to-url", s.db.url, "add", "span"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("proven: the migration gives");
    const written = read(s, "migrations/0002_add_span.sql");
    expect(written).toContain("CREATE TYPE public.span AS RANGE (SUBTYPE = integer");
    expect(written).not.toContain("FUNCTION");
    // The hot-fix undone, the written migration makes it again: verify finds no drift.
    await s.db.sql.unsafe("alter table public.notes drop column during; drop type public.span");
    const migrated = await s.dbkit(["migrate"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const verified = await s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});
