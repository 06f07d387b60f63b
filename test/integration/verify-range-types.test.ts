/**
 * verify compares range types as objects: one made by hand or dropped is drift, and so is one
 * whose definition differs (subtype, subtype operator class, collation, subtype_diff function,
 * multirange type name). The functions Postgres makes with a range type (its constructors and its
 * multirange's) are the type's: never reported on their own. On the bundled Postgres and on
 * Debian's Postgres 15 (skipped where it is not installed).
 */
import { describe, expect, it } from "vitest";
import { readCatalog } from "../../src/db/catalog-reader.js";
import { createTestDatabase, serverUrl } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";
import { hasPg15, startPg15 } from "../support/pg15.js";
import { verifyAfter } from "../support/verify-after.js";

const PROJECT = {
  "migrations/0001_ranges.sql": [
    "create type public.span as range (subtype = int4);",
    "create function public.seconds_between(a timestamp, b timestamp) returns float8 language sql immutable as $$ select extract(epoch from a - b)::float8 $$;",
    "create type public.stay as range (subtype = timestamp, subtype_diff = public.seconds_between);",
    'create type public.words as range (subtype = text, collation = "C", multirange_type_name = public.word_sets);',
    "create type public.prefixes as range (subtype = text, subtype_opclass = text_pattern_ops);",
    "revoke usage on type public.prefixes from public;",
    "comment on type public.span is 'Seats, as numbers';",
    "create table public.bookings (id int primary key, during public.stay, spans public.span_multirange);",
    "",
  ].join("\n"),
};

/** [what, SQL run on the migrated database, exit code, lines verify prints, text it must not print]. */
const CASES: [string, string, number, string[], string[]][] = [
  ["nothing changed", "select 1", 0, ["PASSED"], ["function public.span", "function public.words", "function public.word_sets"]],
  ["a range type made by hand", "create type public.extra as range (subtype = numeric)", 5, ["+ type public.extra: not created by the migrations"], ["function public.extra", "extra_multirange"]],
  ["a range type dropped", "drop type public.prefixes", 5, ["- type public.prefixes: missing (defined in migrations/0001_ranges.sql)"], ["function public.prefixes", "privilege type public.prefixes_multirange"]],
  ["another subtype", "drop type public.span cascade; create type public.span as range (subtype = int8)", 5, ["~ type public.span: subtype differs"], ["function public.span"]],
  ["another collation", 'drop type public.words; create type public.words as range (subtype = text, collation = "POSIX", multirange_type_name = public.word_sets)', 5, ["~ type public.words: collation differs"], ["function public.word"]],
  ["no subtype_diff", "drop type public.stay cascade; create type public.stay as range (subtype = timestamp)", 5, ["~ type public.stay: subtypeDiff differs"], ["function public.stay"]],
  ["the default operator class", "drop type public.prefixes; create type public.prefixes as range (subtype = text)", 5, ["~ type public.prefixes: opclass differs"], []],
  ["a changed comment", "comment on type public.span is 'Seats'", 5, ["~ comment on type public.span: text differs (defined in migrations/0001_ranges.sql)"], []],
  ["another multirange name", "alter type public.word_sets rename to word_multis", 5, ["~ type public.words: multirange differs"], ["function public.word"]],
];

function expectFound(result: { code: number | null; stdout: string; stderr: string }, [what, , code, lines, absent]: (typeof CASES)[number]) {
  expect(result.code, `${what}:\n${result.stdout}${result.stderr}`).toBe(code);
  for (const line of lines) expect(result.stdout, what).toContain(line);
  for (const text of absent) expect(result.stdout, what).not.toContain(text);
}

describe("verify: range types", () => {
  it.each(CASES)("%s", async (...c) => {
    expectFound(await verifyAfter(PROJECT, serverUrl(), c[1]), c);
  });

  it("reads a range type's definition, and none of its constructor functions", async () => {
    const db = await createTestDatabase();
    const dir = await createProject(PROJECT);
    expect((await runCli(["migrate"], { cwd: dir, env: { DATABASE_URL: db.url } })).code).toBe(0);
    const catalog = await db.sql.begin((tx) => readCatalog(tx, { schemas: ["public"], foreign: [], roles: [""], extensions: [] }));
    const types = Object.fromEntries(catalog.objects.filter((o) => o.category === "types").map((o) => [o.key, o.props]));
    expect(types).toEqual({
      "type public.span": { kind: "range", subtype: "integer", opclass: null, collation: null, canonical: null, subtypeDiff: null, multirange: "public.span_multirange" },
      "type public.stay": { kind: "range", subtype: "timestamp without time zone", opclass: null, collation: null, canonical: null, subtypeDiff: "public.seconds_between", multirange: "public.stay_multirange" },
      "type public.words": { kind: "range", subtype: "text", opclass: null, collation: "C", canonical: null, subtypeDiff: null, multirange: "public.word_sets" },
      "type public.prefixes": { kind: "range", subtype: "text", opclass: "text_pattern_ops", collation: null, canonical: null, subtypeDiff: null, multirange: "public.prefixes_multirange" },
    });
    // A multirange's privileges are its range's: Postgres refuses GRANT on it.
    expect(catalog.objects.filter((o) => o.key.startsWith("privilege type ")).map((o) => o.key).sort()).toEqual(["privilege type public.span to PUBLIC", "privilege type public.stay to PUBLIC", "privilege type public.words to PUBLIC"]);
    expect(catalog.objects.filter((o) => o.category === "functions").map((o) => o.key)).toEqual(["function public.seconds_between(a timestamp without time zone, b timestamp without time zone)"]);
  });
});

describe.skipIf(!hasPg15)("verify: range types, on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("finds each change and verifies the unchanged database clean", { timeout: 240_000 }, async () => {
    const server = await startPg15("range-types");
    for (const c of CASES) expectFound(await verifyAfter(PROJECT, server.url(), c[1]), c);
  });
});
