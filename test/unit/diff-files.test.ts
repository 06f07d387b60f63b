import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseRenames, renameHint } from "../../src/commands/shared/diff-renames.js";
import { parseDirectives } from "../../src/core/directives.js";
import { migrationFiles, summaryLines } from "../../src/core/diff/migration-files.js";
import { proofVerdict } from "../../src/core/diff/proof-verdict.js";
import type { DiffStatement } from "../../src/core/diff/types.js";
import { readSchemaDir } from "../../src/fs/read-schema-dir.js";

const statement = (sql: string, key: string, more: Partial<DiffStatement> = {}): DiffStatement => ({ sql, key, category: "tables", action: "create", hazards: [], phase: "transaction", ...more });
const options = { title: "add invoices", name: "add_invoices", source: "the migrations → schema/" };

describe("the files dbkit diff writes", () => {
  it("writes one file in a transaction, statements in order, with a header", () => {
    const [file, ...more] = migrationFiles([statement("CREATE TABLE public.a (id int);", "table public.a"), statement("GRANT SELECT ON public.a TO x;", "privilege table public.a to x")], options);
    expect(more).toEqual([]);
    expect(file!.name).toBe("add_invoices");
    expect(file!.noTransaction).toBe(false);
    expect(file!.text).toMatch(/^-- Migration: add invoices\n-- Written by dbkit diff \(the migrations → schema\/\)/);
    expect(file!.text.indexOf("CREATE TABLE")).toBeLessThan(file!.text.indexOf("GRANT SELECT"));
    expect(parseDirectives(file!.text)).toEqual({ directives: { noTransaction: false, seedOnce: false }, problems: [] });
  });

  it("puts no-transaction statements in a second file that starts with the directive", () => {
    const files = migrationFiles([statement("ALTER TABLE public.a ADD COLUMN b int;", "column public.a.b", { action: "create" }), statement("CREATE INDEX CONCURRENTLY a_b_idx ON public.a (b);", "index public.a_b_idx", { phase: "no-transaction" })], options);
    expect(files.map((f) => [f.name, f.noTransaction])).toEqual([["add_invoices", false], ["add_invoices_concurrently", true]]);
    expect(files[1]!.text.startsWith("-- dbkit:no-transaction\n")).toBe(true);
    expect(parseDirectives(files[1]!.text).directives.noTransaction).toBe(true);
    expect(files[0]!.text).not.toContain("CONCURRENTLY");
  });

  it("a change that is only no-transaction statements is one file, with the directive, under the plain name", () => {
    const files = migrationFiles([statement("CREATE INDEX CONCURRENTLY i ON public.a (b);", "index public.i", { phase: "no-transaction" })], options);
    expect(files.map((f) => [f.name, f.noTransaction])).toEqual([["add_invoices", true]]);
  });

  it("marks each statement that loses data, and the mark is not read as an unknown directive", () => {
    const [file] = migrationFiles([statement("DROP TABLE public.old;", "table public.old", { action: "drop", hazards: ["drops-data"] })], options);
    expect(file!.text).toContain("-- dbkit: drops data: table public.old (drops-data)\nDROP TABLE public.old;");
    expect(parseDirectives(file!.text).problems).toEqual([]);
  });

  it("lists what it could not write as comments at the top (--allow-incomplete)", () => {
    const [file] = migrationFiles([statement("CREATE TABLE public.a (id int);", "table public.a")], { ...options, unsupported: [{ key: "rule public.a.r", reason: "rules\nare not written" }] });
    expect(file!.text).toContain("--   rule public.a.r: rules are not written\n");
    expect(file!.text.indexOf("rule public.a.r")).toBeLessThan(file!.text.indexOf("CREATE TABLE"));
  });

  it("summarises one line per object, with hazards", () => {
    expect(
      summaryLines([
        statement("CREATE TABLE public.invoices ();", "table public.invoices"),
        statement("ALTER POLICY p ON public.t USING (true);", "policy public.t.p", { action: "alter", hazards: ["changes-security"] }),
        statement("DROP INDEX public.i;", "index public.i", { action: "drop" }),
        statement("DROP VIEW public.v;", "view public.v", { action: "drop", hazards: ["recreates"] }),
        statement("CREATE VIEW public.v AS SELECT 1;", "view public.v"),
        statement("ALTER TABLE public.b ADD CONSTRAINT c CHECK (id > 0) NOT VALID;", "constraint public.b.c", { category: "constraints" }),
        statement("ALTER TABLE public.b VALIDATE CONSTRAINT c;", "constraint public.b.c", { category: "constraints", action: "alter", phase: "no-transaction" }),
      ]),
    ).toEqual(["+ table public.invoices", "~ policy public.t.p  [changes-security]", "- index public.i", "~ view public.v  [recreates]", "+ constraint public.b.c  (no transaction)"]);
  });
});

describe("--rename", () => {
  it("takes tables and columns as catalog keys; an unqualified table is in public", () => {
    expect(parseRenames(["public.a=public.b", "orders=invoices", "public.t.a=public.t.b"])).toEqual([
      { from: "table public.a", to: "table public.b" },
      { from: "table public.orders", to: "table public.invoices" },
      { from: "column public.t.a", to: "column public.t.b" },
    ]);
    expect(renameHint({ category: "columns", from: "column public.t.a", to: "column public.t.b" })).toBe("--rename public.t.a=public.t.b");
  });

  it("refuses what is not old=new, or a column moved to another table", () => {
    expect(() => parseRenames(["public.a"])).toThrow(/write old=new/);
    expect(() => parseRenames(["public.a=public.t.b"])).toThrow(/write old=new/);
    expect(() => parseRenames(["public.t.a=public.u.b"])).toThrow(/a column keeps its table/);
  });
});

describe("the schema folder", () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const project = async (files: Record<string, string>) => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-schema-dir-"));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    return dir;
  };

  it("reads schema/ by path, folders included, as files that keep that order", async () => {
    const cwd = await project({ "migrations/.keep": "", "schema/b.sql": "select 2;", "schema/a/z.sql": "select 1;", "schema/notes.txt": "x" });
    const read = readSchemaDir({ cwd, migrationsDir: path.join(cwd, "migrations") });
    expect(read.files.map((f) => [f.path, f.version])).toEqual([[path.join("schema", "a", "z.sql"), "0001"], [path.join("schema", "b.sql"), "0002"]]);
  });

  it("reads supabase/schemas in the order of schema_paths in supabase/config.toml", async () => {
    const cwd = await project({
      "supabase/config.toml": '[db]\nport = 54322\n\n[db.migrations]\nschema_paths = [\n  "./schemas/types.sql",\n  "./schemas/tables/*.sql",\n  "./schemas/**/*.sql",\n]\n\n[db.seed]\nsql_paths = ["./seed.sql"]\n',
      "supabase/migrations/.keep": "",
      "supabase/schemas/a_policies.sql": "select 3;",
      "supabase/schemas/types.sql": "select 1;",
      "supabase/schemas/tables/t.sql": "select 2;",
    });
    const read = readSchemaDir({ cwd, migrationsDir: path.join(cwd, "supabase", "migrations") });
    expect(read.order).toBe("schema_paths of supabase/config.toml");
    expect(read.files.map((f) => path.basename(f.path))).toEqual(["types.sql", "t.sql", "a_policies.sql"]);
  });

  it("without schema_paths, supabase/schemas by path; a configured schemaDir wins", async () => {
    const cwd = await project({ "supabase/config.toml": "[db]\n", "supabase/migrations/.keep": "", "supabase/schemas/b.sql": "", "supabase/schemas/a.sql": "", "db/schema.sql": "" });
    expect(readSchemaDir({ cwd, migrationsDir: path.join(cwd, "supabase", "migrations") }).files.map((f) => path.basename(f.path))).toEqual(["a.sql", "b.sql"]);
    expect(readSchemaDir({ cwd, migrationsDir: path.join(cwd, "supabase", "migrations"), schemaDir: path.join(cwd, "db") }).files.map((f) => f.path)).toEqual([path.join("db", "schema.sql")]);
  });

  it("a missing folder is a usage error naming it", async () => {
    const cwd = await project({ "migrations/.keep": "" });
    expect(() => readSchemaDir({ cwd, migrationsDir: path.join(cwd, "migrations") })).toThrow(/schema folder not found: schema\//);
  });
});

describe("the proof's verdict", () => {
  const missing = { kind: "missing" as const, category: "indexes" as const, key: "index public.i" };
  const changed = { kind: "changed" as const, category: "policies" as const, key: "policy public.t.p", props: [{ prop: "using", expected: "true", actual: "false" }] };

  it("proven only with zero differences", () => {
    expect(proofVerdict({ differences: [] }, [], "schema/")).toEqual({ proven: true, differences: [] });
    expect(proofVerdict({ differences: [missing, changed] }, [], "schema/")).toEqual({
      proven: false,
      differences: [{ kind: "missing", object: "index public.i" }, { kind: "changed", object: "policy public.t.p", props: ["using"] }],
      refused: "the migration does not give schema/ exactly: 2 difference(s) after applying it",
    });
  });

  it("a file that failed to apply is not proven, whatever was compared", () => {
    expect(proofVerdict({ differences: [], failed: "column owner contains null values" }, [], "schema/")).toMatchObject({ proven: false, refused: expect.stringContaining("failed on top of the migrations") });
  });

  it("the changes written as comments (--allow-incomplete) are expected to differ; nothing to prove on is null", () => {
    expect(proofVerdict({ differences: [missing] }, [{ key: "index public.i", reason: "not written" }], "schema/")).toEqual({ proven: true, differences: [] });
    expect(proofVerdict(undefined, [], "schema/")).toEqual({ proven: null, differences: [] });
  });
});

describe("schema_paths that match nothing", () => {
  it("is a usage error naming the patterns, not an empty desired schema", async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), "dbkit-schema-dir-"));
    try {
      await mkdir(path.join(cwd, "supabase", "migrations"), { recursive: true });
      await writeFile(path.join(cwd, "supabase", "config.toml"), '[db.migrations]\nschema_paths = ["./schema/*.sql"]\n');
      expect(() => readSchemaDir({ cwd, migrationsDir: path.join(cwd, "supabase", "migrations") })).toThrow(/schema_paths of supabase\/config.toml match no file: .\/schema\/\*.sql/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
