/**
 * The planner, pure: SchemaModels written by hand in, ordered statements out. Ordering by
 * dependency, whole tables, hazards and refusal, renames and the online split. The round trip
 * against real Postgres is test/integration/diff-structure.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { CatalogObject } from "../../src/core/catalog.js";
import { structureDiffers } from "../../src/core/diff/kinds/structure.js";
import { planDiff } from "../../src/core/diff/plan.js";
import type { DiffOptions, Differ, Differs, ObjectFacts, SchemaModel } from "../../src/core/diff/types.js";

type Entry = { object: CatalogObject; facts: ObjectFacts };

const model = (...entries: Entry[]): SchemaModel => ({ catalog: { objects: entries.map((e) => e.object) }, facts: Object.fromEntries(entries.map((e) => [e.object.key, e.facts])) });
const obj = (category: CatalogObject["category"], key: string, props: CatalogObject["props"], facts: Partial<ObjectFacts> = {}): Entry => ({
  object: { category, key, props },
  facts: { sql: key.slice(key.indexOf(" ") + 1), dependsOn: [], ...facts },
});
const table = (name: string, props: CatalogObject["props"] = {}) => obj("tables", `table public.${name}`, { kind: "table", unlogged: false, ...props });
const column = (t: string, name: string, position: number, props: CatalogObject["props"] = {}, dependsOn: string[] = []) =>
  obj("columns", `column public.${t}.${name}`, { type: "integer", notnull: false, default: null, identity: null, generated: null, ...props }, { sql: name, table: `table public.${t}`, position, dependsOn: [`table public.${t}`, ...dependsOn] });

/** A stand-in for the code kinds' differs: one statement naming the action and the key. */
const named: Differ = (change) => ({
  statements: [
    ...(change.from ? [{ sql: `drop ${change.key}`, key: change.key, category: change.category, action: "drop" as const, hazards: [], phase: "transaction" as const }] : []),
    ...(change.to ? [{ sql: `create ${change.key}`, key: change.key, category: change.category, action: "create" as const, hazards: [], phase: "transaction" as const }] : []),
  ],
});
const differs: Differs = { ...structureDiffers, functions: named, views: named, policies: named };
const options = (more: Partial<DiffOptions> = {}): DiffOptions => ({ allowDrop: true, renames: [], online: true, ...more });
const sqlOf = (from: SchemaModel, to: SchemaModel, more: Partial<DiffOptions> = {}) => planDiff(from, to, options(more), differs).statements.map((s) => s.sql);

describe("planDiff: matching and whole tables", () => {
  it("gives nothing for objects with the same properties", () => {
    const state = model(table("t"), column("t", "a", 1));
    expect(planDiff(state, model(table("t"), column("t", "a", 1)), options(), differs)).toEqual({ statements: [], unsupported: [], refusedDrops: [], renameCandidates: [] });
  });

  it("writes a created table's columns inside CREATE TABLE, in position order, and its constraints and indexes on their own", () => {
    const to = model(
      table("t"),
      column("t", "b", 2, { type: "text" }),
      column("t", "a", 1, { notnull: true }),
      obj("constraints", "constraint public.t.t_pkey", { type: "p", definition: "PRIMARY KEY (a)", validated: true }, { sql: "t_pkey", table: "table public.t", dependsOn: ["table public.t"] }),
      obj("indexes", "index public.t_b", { table: "public.t", definition: "CREATE INDEX t_b ON public.t USING btree (b)" }, { sql: "public.t_b", table: "table public.t", dependsOn: ["table public.t"] }),
    );
    expect(sqlOf(model(), to)).toEqual([
      "CREATE TABLE public.t (\n  a integer NOT NULL,\n  b text\n);",
      "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (a);",
      "CREATE INDEX t_b ON public.t USING btree (b);",
    ]);
  });

  it("drops a table once, without statements for its columns, constraints and indexes", () => {
    const from = model(
      table("t"),
      column("t", "a", 1),
      obj("constraints", "constraint public.t.c", { type: "c", definition: "CHECK ((a > 0))" }, { sql: "c", table: "table public.t" }),
      obj("indexes", "index public.t_a", { table: "public.t", definition: "CREATE INDEX t_a ON public.t USING btree (a)" }, { sql: "public.t_a", table: "table public.t" }),
    );
    const plan = planDiff(from, model(), options(), differs);
    expect(plan.statements.map((s) => [s.sql, s.hazards])).toEqual([["DROP TABLE public.t;", ["drops-data"]]]);
  });

  it("lists a kind without a differ as unsupported, by object", () => {
    const plan = planDiff(model(), model(obj("eventTriggers", "event trigger e", {})), options(), structureDiffers);
    expect(plan.unsupported).toEqual([{ key: "event trigger e", reason: expect.stringContaining("eventTriggers") }]);
  });
});

describe("planDiff: order by dependency", () => {
  it("puts a function a column default calls before the table, after the table the function reads", () => {
    const to = model(
      table("t"),
      column("t", "code", 1, { type: "text", default: "public.next_code()" }, ["function public.next_code()"]),
      obj("functions", "function public.next_code()", {}, { dependsOn: ["table public.codes"] }),
      table("codes"),
    );
    expect(sqlOf(model(), to)).toEqual(["CREATE TABLE public.codes ();", "create function public.next_code()", "CREATE TABLE public.t (\n  code text DEFAULT public.next_code()\n);"]);
  });

  it("creates a view on a view after it, and drops them in reverse", () => {
    const views = [obj("views", "view public.w", {}, { dependsOn: ["view public.v"] }), obj("views", "view public.v", {}, { dependsOn: ["table public.t"] })];
    expect(sqlOf(model(table("t")), model(table("t"), ...views))).toEqual(["create view public.v", "create view public.w"]);
    expect(sqlOf(model(table("t"), ...views.reverse()), model(table("t")))).toEqual(["drop view public.w", "drop view public.v"]);
  });

  it("puts what depends on a column inside a CREATE TABLE after that CREATE TABLE, whatever the categories", () => {
    // A grant on a new column waits for the table's CREATE even when the table waits for a later category.
    const to = model(
      table("t", {}),
      column("t", "c", 1, {}, ["rule public.x.r"]),
      obj("rules", "rule public.x.r", {}),
      obj("privileges", "privilege column public.t.c to anon", { privileges: "r" }, { dependsOn: ["column public.t.c"] }),
    );
    const sql = planDiff(model(), to, options(), { ...differs, rules: named, privileges: named }).statements.map((s) => s.sql);
    expect(sql.indexOf("create privilege column public.t.c to anon")).toBeGreaterThan(sql.findIndex((s) => s.startsWith("CREATE TABLE public.t")));
  });

  it("changes a column default off a sequence before the sequence is dropped", () => {
    const sequence = obj("sequences", "sequence public.s", { type: "bigint", start: "1", increment: "1", min: "1", max: "9", cycle: false, ownedBy: null });
    const from = model(table("t"), sequence, column("t", "n", 1, { default: "nextval('public.s'::regclass)" }, ["sequence public.s"]));
    expect(sqlOf(from, model(table("t"), column("t", "n", 1)))).toEqual(["ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;", "DROP SEQUENCE public.s;"]);
  });

  it("creates a sequence before the table whose default uses it, and sets OWNED BY after the table", () => {
    const sequence = obj("sequences", "sequence public.t_n_seq", { type: "integer", start: "1", increment: "1", min: "1", max: "9", cycle: false, ownedBy: "public.t.n" });
    const to = model(table("t"), column("t", "n", 1, { default: "nextval('public.t_n_seq'::regclass)" }, ["sequence public.t_n_seq"]), sequence);
    expect(sqlOf(model(), to)).toEqual([
      "CREATE SEQUENCE public.t_n_seq AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 NO CYCLE;",
      "CREATE TABLE public.t (\n  n integer DEFAULT nextval('public.t_n_seq'::regclass)\n);",
      "ALTER SEQUENCE public.t_n_seq OWNED BY public.t.n;",
    ]);
  });

  it("drops and creates again the views on a column whose type changes, around the change", () => {
    const view = obj("views", "view public.v", { definition: "SELECT a FROM t" }, { dependsOn: ["column public.t.a", "table public.t"] });
    const from = model(table("t"), column("t", "a", 1), view);
    const to = model(table("t"), column("t", "a", 1, { type: "bigint" }), view);
    expect(sqlOf(from, to)).toEqual(["drop view public.v", "ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint;", "create view public.v"]);
  });
});

describe("planDiff: hazards and refusal", () => {
  it("refuses a dropped column and a narrowing type change unless allowDrop, and keeps the rest", () => {
    const from = model(table("t"), column("t", "a", 1, { type: "bigint" }), column("t", "b", 2), column("t", "c", 3));
    const to = model(table("t"), column("t", "a", 1), column("t", "c", 3, { notnull: true }));
    const plan = planDiff(from, to, options({ allowDrop: false, online: false }), differs);
    expect(plan.statements.map((s) => s.sql)).toEqual(["ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;"]);
    expect(plan.refusedDrops.map((s) => [s.sql, s.hazards])).toEqual([
      ["ALTER TABLE public.t DROP COLUMN b;", ["drops-data"]],
      ["ALTER TABLE public.t ALTER COLUMN a TYPE integer USING a::integer;", ["rewrites-table", "narrows-type"]],
    ]);
    expect(planDiff(from, to, options({ allowDrop: true, online: false }), differs).refusedDrops).toEqual([]);
  });

  it("does not refuse a widening type change", () => {
    const plan = planDiff(model(table("t"), column("t", "a", 1, { type: "character varying(10)" })), model(table("t"), column("t", "a", 1, { type: "text" })), options({ allowDrop: false }), differs);
    expect(plan.statements.map((s) => s.hazards)).toEqual([["rewrites-table"]]);
  });
});

describe("planDiff: renames", () => {
  const from = model(table("t"), column("t", "id", 1), column("t", "title", 2, { type: "text" }));
  const to = model(table("t"), column("t", "id", 1), column("t", "name", 2, { type: "text" }));

  it("lists a column that looks renamed as a candidate, written as drop and add (the drop refused)", () => {
    const plan = planDiff(from, to, options({ allowDrop: false }), differs);
    expect(plan.renameCandidates).toEqual([{ category: "columns", from: "column public.t.title", to: "column public.t.name" }]);
    expect(plan.statements.map((s) => s.sql)).toEqual(["ALTER TABLE public.t ADD COLUMN name text;"]);
    expect(plan.refusedDrops.map((s) => s.sql)).toEqual(["ALTER TABLE public.t DROP COLUMN title;"]);
  });

  it("renames a column the options decide, and nothing else", () => {
    const plan = planDiff(from, to, options({ allowDrop: false, renames: [{ from: "column public.t.title", to: "column public.t.name" }] }), differs);
    expect(plan.statements.map((s) => [s.sql, s.hazards])).toEqual([["ALTER TABLE public.t RENAME COLUMN title TO name;", ["renames"]]]);
    expect(plan.renameCandidates).toEqual([]);
  });

  it("renames a table the options decide, its columns and index following", () => {
    const index = (t: string) => obj("indexes", "index public.i", { table: `public.${t}`, definition: `CREATE INDEX i ON public.${t} USING btree (id)` }, { sql: "public.i", table: `table public.${t}` });
    const old = model(table("old"), column("old", "id", 1), index("old"));
    const now = model(table("new"), column("new", "id", 1), index("new"));
    expect(planDiff(old, now, options({ allowDrop: false }), differs).renameCandidates).toEqual([{ category: "tables", from: "table public.old", to: "table public.new" }]);
    const plan = planDiff(old, now, options({ allowDrop: false, renames: [{ from: "table public.old", to: "table public.new" }] }), differs);
    expect(plan.statements.map((s) => s.sql)).toEqual(["ALTER TABLE public.old RENAME TO new;"]);
  });
});

describe("planDiff: online split", () => {
  const unique = (t: string) => [
    obj("constraints", `constraint public.${t}.${t}_k`, { type: "u", definition: "UNIQUE (a)", validated: true }, { sql: `${t}_k`, table: `table public.${t}`, dependsOn: [`table public.${t}`] }),
    obj("indexes", `index public.${t}_k`, { table: `public.${t}`, definition: `CREATE UNIQUE INDEX ${t}_k ON public.${t} USING btree (a)` }, { sql: `public.${t}_k`, table: `table public.${t}`, extra: { constraint: `constraint public.${t}.${t}_k` } }),
  ];

  it("builds on an existing table in the no-transaction part, and what follows it there too", () => {
    const fk = obj("constraints", "constraint public.c.c_fk", { type: "f", definition: "FOREIGN KEY (a) REFERENCES public.p(a)", validated: true }, { sql: "c_fk", table: "table public.c", dependsOn: ["table public.c", "constraint public.p.p_k"] });
    const from = model(table("p"), column("p", "a", 1), table("c"), column("c", "a", 1));
    const to = model(table("p"), column("p", "a", 1), ...unique("p"), table("c"), column("c", "a", 1), fk);
    const plan = planDiff(from, to, options(), differs);
    expect(plan.statements.map((s) => [s.phase, s.sql])).toEqual([
      ["no-transaction", "CREATE UNIQUE INDEX CONCURRENTLY p_k ON public.p USING btree (a);"],
      ["no-transaction", "ALTER TABLE public.p ADD CONSTRAINT p_k UNIQUE USING INDEX p_k;"],
      ["no-transaction", "ALTER TABLE public.c ADD CONSTRAINT c_fk FOREIGN KEY (a) REFERENCES public.p(a) NOT VALID;"],
      ["no-transaction", "ALTER TABLE public.c VALIDATE CONSTRAINT c_fk;"],
    ]);
  });

  it("sets NOT NULL on an existing column through a check validated outside the transaction", () => {
    const plan = planDiff(model(table("t"), column("t", "c", 1)), model(table("t"), column("t", "c", 1, { notnull: true })), options(), differs);
    expect(plan.statements.map((s) => [s.phase, s.sql])).toEqual([
      ["transaction", "ALTER TABLE public.t ADD CONSTRAINT c_not_null_dbkit CHECK (c IS NOT NULL) NOT VALID;"],
      ["no-transaction", "ALTER TABLE public.t VALIDATE CONSTRAINT c_not_null_dbkit;"],
      ["no-transaction", "ALTER TABLE public.t ALTER COLUMN c SET NOT NULL;"],
      ["no-transaction", "ALTER TABLE public.t DROP CONSTRAINT c_not_null_dbkit;"],
    ]);
  });

  it("writes plain DDL in the transaction on a new table, or when not online", () => {
    const to = model(table("p"), column("p", "a", 1), ...unique("p"));
    expect(planDiff(model(), to, options(), differs).statements.map((s) => s.phase)).toEqual(["transaction", "transaction"]);
    const from = model(table("p"), column("p", "a", 1));
    expect(planDiff(from, to, options({ online: false }), differs).statements.map((s) => [s.phase, s.sql])).toEqual([["transaction", "ALTER TABLE public.p ADD CONSTRAINT p_k UNIQUE (a);"]]);
  });
});
