/**
 * The code and security differs, pure: two objects' properties and facts in, SQL out. The round
 * trip against real Postgres is test/integration/diff-code.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { CatalogObject } from "../../src/core/catalog.js";
import { codeDiffers, codeObjectRecreated } from "../../src/core/diff/kinds/code.js";
import type { DiffContext, ObjectChange, ObjectFacts, SchemaModel } from "../../src/core/diff/types.js";
import { bodyDependencies } from "../../src/db/diff-facts-body.js";

type Entry = { object: CatalogObject; facts?: Partial<ObjectFacts> };

function model(entries: Entry[]): SchemaModel {
  return {
    catalog: { objects: entries.map((e) => e.object) },
    // An entry without facts stands for an object the reader gave none (the differ reads its key).
    facts: Object.fromEntries(entries.map((e) => [e.object.key, { dependsOn: [], ...e.facts } as ObjectFacts])),
  };
}

function obj(category: CatalogObject["category"], key: string, props: CatalogObject["props"], facts?: Partial<ObjectFacts>): Entry {
  return { object: { category, key, props }, facts };
}

/** Runs the differ of `key`'s category on the two states; the other entries are context. */
function diff(key: string, from: Entry[], to: Entry[]) {
  const a = model(from);
  const b = model(to);
  const side = (m: SchemaModel) => {
    const object = m.catalog.objects.find((o) => o.key === key);
    return object ? { object, facts: m.facts[key]! } : undefined;
  };
  const change: ObjectChange = { key, category: (side(a) ?? side(b))!.object.category, from: side(a), to: side(b) };
  const has = (m: SchemaModel, k: string) => m.catalog.objects.some((o) => o.key === k);
  const context: DiffContext = {
    from: a,
    to: b,
    options: { allowDrop: false, renames: [], online: true },
    existedBefore: (k) => has(a, k) && has(b, k),
    createdWhole: (k) => !has(a, k) && has(b, k),
    droppedWhole: (k) => has(a, k) && !has(b, k),
  };
  const result = codeDiffers[change.category]!(change, context);
  return { sql: result.statements.map((s) => s.sql), statements: result.statements, unsupported: result.unsupported ?? [] };
}

const table = obj("tables", "table public.t", { kind: "table", unlogged: false }, { sql: "public.t" });

describe("views", () => {
  const view = (definition: string, columns: string[], options: string[] | null = null, kind = "view") =>
    obj("views", "view public.v", { kind, definition, options }, { sql: "public.v", definition, extra: { columns } });

  it("creates a view with its options", () => {
    expect(diff("view public.v", [], [view(" SELECT 1 AS a;", ["a integer"], ["security_invoker=true"])]).sql).toEqual(["CREATE VIEW public.v WITH (security_invoker=true) AS\nSELECT 1 AS a;"]);
  });

  it("replaces a view whose new columns come at the end, keeping its options", () => {
    const { sql, statements } = diff("view public.v", [view(" SELECT 1 AS a;", ["a integer"], ["security_invoker=true"])], [view(" SELECT 1 AS a, 2 AS b;", ["a integer", "b integer"], ["security_invoker=true"])]);
    expect(sql).toEqual(["CREATE OR REPLACE VIEW public.v WITH (security_invoker=true) AS\nSELECT 1 AS a, 2 AS b;"]);
    expect(statements[0]!.hazards).toEqual([]);
  });

  it("recreates a view whose column type changes, with its grants and comment", () => {
    const grant = obj("privileges", "privilege view public.v to anon", { privileges: "r" }, { extra: { target: "view public.v", on: "TABLE public.v", grantee: "anon" } });
    const comment = obj("comments", "comment on view public.v", { text: "Names" }, { sql: "VIEW public.v", extra: { target: "view public.v" } });
    const { sql, statements } = diff("view public.v", [view(" SELECT 1 AS a;", ["a integer"]), grant, comment], [view(" SELECT 'x'::text AS a;", ["a text"]), grant, comment]);
    expect(sql).toEqual(["DROP VIEW public.v;", "CREATE VIEW public.v AS\nSELECT 'x'::text AS a;", "GRANT SELECT ON TABLE public.v TO anon;", "COMMENT ON VIEW public.v IS 'Names';"]);
    expect(statements[0]!.hazards).toContain("recreates");
  });

  it("sets and resets options alone with ALTER VIEW", () => {
    expect(diff("view public.v", [view(" SELECT 1;", ["a integer"], ["security_barrier=true"])], [view(" SELECT 1;", ["a integer"], ["security_invoker=true"])]).sql).toEqual([
      "ALTER VIEW public.v RESET (security_barrier);",
      "ALTER VIEW public.v SET (security_invoker=true);",
    ]);
  });

  it("recreates a changed materialized view with its unchanged indexes", () => {
    const index = obj("indexes", "index public.v_a", { table: "public.v", definition: "CREATE INDEX v_a ON public.v USING btree (a)", valid: true, unique: false });
    expect(diff("view public.v", [view(" SELECT 1 AS a;", ["a integer"], null, "materialized view"), index], [view(" SELECT 2 AS a;", ["a integer"], null, "materialized view"), index]).sql).toEqual([
      "DROP MATERIALIZED VIEW public.v;",
      "CREATE MATERIALIZED VIEW public.v AS\nSELECT 2 AS a\nWITH DATA;",
      "CREATE INDEX v_a ON public.v USING btree (a);",
    ]);
  });

  it("drops a view", () => {
    expect(diff("view public.v", [view(" SELECT 1;", ["a integer"])], []).sql).toEqual(["DROP VIEW public.v;"]);
  });
});

describe("functions", () => {
  const fn = (returns: string, body: string, extra: Record<string, string | boolean> = {}, props: Record<string, unknown> = {}) =>
    obj("functions", "function public.f(integer)", { returns, language: "sql", body, volatility: "volatile", securityDefiner: false, config: [], ...props } as CatalogObject["props"], {
      sql: "public.f(integer)",
      definition: `CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS ${returns}\n LANGUAGE sql\nAS $function$${body}$function$\n`,
      extra: { arguments: "a integer", ...extra },
    });
  const grant = obj("privileges", "privilege function public.f(integer) to anon", { privileges: "X" }, { extra: { target: "function public.f(integer)", on: "FUNCTION public.f(integer)", grantee: "anon" } });
  // The catalog reads a function's effective ACL: PUBLIC's EXECUTE is listed until it is revoked.
  const publicGrant = obj("privileges", "privilege function public.f(integer) to PUBLIC", { privileges: "X" }, { extra: { target: "function public.f(integer)", on: "FUNCTION public.f(integer)", grantee: "" } });

  it("replaces a function whose body changes, so its grants stay", () => {
    expect(diff("function public.f(integer)", [fn("integer", "select a"), grant], [fn("integer", "select a + 1"), grant]).sql).toEqual([
      "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$select a + 1$function$;",
    ]);
  });

  it("drops and creates a function whose return type changes, granting again what it had", () => {
    const { sql, statements } = diff("function public.f(integer)", [fn("integer", "select a"), grant, publicGrant], [fn("bigint", "select a"), grant, publicGrant]);
    expect(sql).toEqual(["DROP FUNCTION public.f(integer);", "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS bigint\n LANGUAGE sql\nAS $function$select a$function$;", "GRANT EXECUTE ON FUNCTION public.f(integer) TO anon;"]);
    expect(statements[0]!.hazards).toEqual(["recreates"]);
  });

  it("revokes PUBLIC's EXECUTE from a new function whose ACL leaves PUBLIC out", () => {
    expect(diff("function public.f(integer)", [], [fn("integer", "select a")]).sql[1]).toBe("REVOKE EXECUTE ON FUNCTION public.f(integer) FROM PUBLIC;");
    expect(diff("function public.f(integer)", [], [fn("integer", "select a"), publicGrant]).sql).toHaveLength(1);
  });

  it("revokes PUBLIC's EXECUTE from a function recreated without it, and grants it back to one whose PUBLIC grant appears", () => {
    expect(diff("function public.f(integer)", [fn("integer", "select a"), publicGrant], [fn("bigint", "select a")]).sql).toContain("REVOKE EXECUTE ON FUNCTION public.f(integer) FROM PUBLIC;");
    expect(diff("privilege function public.f(integer) to PUBLIC", [fn("integer", "select a"), publicGrant], [fn("integer", "select a")]).sql).toEqual(["REVOKE EXECUTE ON FUNCTION public.f(integer) FROM PUBLIC;"]);
    expect(diff("privilege function public.f(integer) to PUBLIC", [fn("integer", "select a")], [fn("integer", "select a"), publicGrant]).sql).toEqual(["GRANT EXECUTE ON FUNCTION public.f(integer) TO PUBLIC;"]);
  });

  it("marks a security definer function as changing security", () => {
    expect(diff("function public.f(integer)", [], [fn("integer", "select a", {}, { securityDefiner: true })]).statements[0]!.hazards).toEqual(["changes-security"]);
  });

  it("drops a procedure as a procedure", () => {
    const procedure = obj("functions", "procedure public.p()", { returns: null }, { sql: "public.p()" });
    expect(diff("procedure public.p()", [procedure], []).sql).toEqual(["DROP PROCEDURE public.p();"]);
  });
});

describe("triggers, rules and RLS", () => {
  const trigger = (definition: string, enabled = "enabled") =>
    obj("triggers", "trigger public.t.touch", { definition, enabled }, { sql: "touch", table: "table public.t", definition: `${definition};`, extra: { tableSql: "public.t" } });
  const before = "CREATE TRIGGER touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch()";
  const after = "CREATE TRIGGER touch AFTER UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch()";

  it("drops and creates a changed trigger", () => {
    expect(diff("trigger public.t.touch", [table, trigger(before)], [table, trigger(after)]).sql).toEqual(["DROP TRIGGER touch ON public.t;", `${after};`]);
  });

  it("disables a trigger with ALTER TABLE", () => {
    expect(diff("trigger public.t.touch", [table, trigger(before)], [table, trigger(before, "disabled")]).sql).toEqual(["ALTER TABLE public.t DISABLE TRIGGER touch;"]);
  });

  it("leaves a trigger on a dropped table to go with it", () => {
    expect(diff("trigger public.t.touch", [table, trigger(before)], []).sql).toEqual([]);
  });

  it("replaces a changed rule", () => {
    const rule = (definition: string) => obj("rules", "rule public.t.keep", { definition, enabled: "enabled" }, { sql: "keep", table: "table public.t", definition, extra: { tableSql: "public.t" } });
    expect(diff("rule public.t.keep", [table, rule("CREATE RULE keep AS ON DELETE TO public.t DO INSTEAD NOTHING;")], [table, rule("CREATE RULE keep AS ON UPDATE TO public.t DO INSTEAD NOTHING;")]).sql).toEqual([
      "CREATE OR REPLACE RULE keep AS ON UPDATE TO public.t DO INSTEAD NOTHING;",
    ]);
  });

  it("enables and forces row level security on a new table", () => {
    const { sql, statements } = diff("rls public.t", [], [table, obj("rls", "rls public.t", { enabled: true, forced: true }, { sql: "public.t" })]);
    expect(sql).toEqual(["ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;", "ALTER TABLE public.t FORCE ROW LEVEL SECURITY;"]);
    expect(statements[0]!.hazards).toEqual(["changes-security"]);
  });
});

describe("policies", () => {
  const policy = (props: Record<string, unknown>) =>
    obj("policies", "policy public.t.Own rows", { permissive: "PERMISSIVE", roles: ["authenticated"], command: "SELECT", using: "(owner = auth.uid())", withCheck: null, ...props } as CatalogObject["props"], {
      sql: '"Own rows"',
      table: "table public.t",
      extra: { tableSql: "public.t" },
    });

  it("creates a policy with quoted name, roles and clauses", () => {
    expect(diff("policy public.t.Own rows", [], [table, policy({ roles: ["public"] })]).sql).toEqual(['CREATE POLICY "Own rows" ON public.t AS PERMISSIVE FOR SELECT TO PUBLIC\n  USING ((owner = auth.uid()));']);
  });

  it("alters the roles and USING of a policy in place", () => {
    expect(diff("policy public.t.Own rows", [table, policy({})], [table, policy({ roles: ["anon", "authenticated"], using: "true" })]).sql).toEqual(['ALTER POLICY "Own rows" ON public.t TO anon, authenticated\n  USING (true);']);
  });

  it("drops and creates a policy whose command changes", () => {
    expect(diff("policy public.t.Own rows", [table, policy({})], [table, policy({ command: "ALL" })]).sql).toEqual([
      'DROP POLICY "Own rows" ON public.t;',
      'CREATE POLICY "Own rows" ON public.t AS PERMISSIVE FOR ALL TO authenticated\n  USING ((owner = auth.uid()));',
    ]);
  });
});

describe("privileges", () => {
  const column = obj("columns", "column public.t.email", { type: "text" });
  const grant = (privileges: string, grantee = "anon") =>
    obj("privileges", `privilege column public.t.email to ${grantee}`, { privileges }, { extra: { target: "column public.t.email", relation: "table public.t", on: "TABLE public.t", column: "email", grantee } });

  it("grants and revokes a column privilege letter by letter", () => {
    const { sql, statements } = diff("privilege column public.t.email to anon", [table, column, grant("rw")], [table, column, grant("ra")]);
    expect(sql).toEqual(["REVOKE UPDATE (email) ON TABLE public.t FROM anon;", "GRANT INSERT (email) ON TABLE public.t TO anon;"]);
    expect(statements.every((s) => s.hazards.includes("changes-security"))).toBe(true);
  });

  it("revokes nothing from an object that is dropped", () => {
    expect(diff("privilege column public.t.email to anon", [table, column, grant("r")], []).sql).toEqual([]);
  });

  it("reads a grant on a table from its key when the facts are missing", () => {
    const entry = { object: { category: "privileges" as const, key: "privilege table public.t to PUBLIC", props: { privileges: "ar" } } };
    expect(diff("privilege table public.t to PUBLIC", [table], [table, entry]).sql).toEqual(["GRANT SELECT, INSERT ON TABLE public.t TO PUBLIC;"]);
  });

  it("alters default privileges for a role in a schema", () => {
    const defaults = (privileges: string) => ({ object: { category: "privileges" as const, key: "default privileges for role postgres in schema public on tables to anon", props: { privileges } } });
    expect(diff("default privileges for role postgres in schema public on tables to anon", [defaults("r")], [defaults("ar")]).sql).toEqual([
      "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT INSERT ON TABLES TO anon;",
    ]);
  });

  it("revokes PUBLIC's default EXECUTE on functions, recorded as no privileges", () => {
    const revoked = { object: { category: "privileges" as const, key: "default privileges on functions to PUBLIC", props: { privileges: "" } } };
    expect(diff("default privileges on functions to PUBLIC", [], [revoked]).sql).toEqual(["ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"]);
    expect(diff("default privileges on functions to PUBLIC", [revoked], []).sql).toEqual(["ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;"]);
  });

  it("calls a change of a privilege held with grant option unsupported", () => {
    const withOption = obj("privileges", "privilege table public.t to anon", { privileges: "*r" }, { extra: { target: "table public.t", on: "TABLE public.t", grantee: "anon" } });
    const plain = obj("privileges", "privilege table public.t to anon", { privileges: "ar" }, { extra: { target: "table public.t", on: "TABLE public.t", grantee: "anon" } });
    expect(diff("privilege table public.t to anon", [table, withOption], [table, plain]).unsupported).toHaveLength(1);
  });
});

describe("publications, event triggers, comments", () => {
  const publication = (props: Record<string, unknown> = {}) =>
    obj("publications", "publication realtime", { allTables: false, insert: true, update: true, delete: true, truncate: true, viaRoot: false, ...props } as CatalogObject["props"], { sql: "realtime" });
  const member = (columns: string[] | null, rowFilter: string | null) =>
    obj("publications", "publication realtime table public.t", { columns, rowFilter }, { sql: "public.t", extra: { publicationSql: "realtime", memberSql: "public.t", member: "table public.t" } });

  it("creates a publication with its options", () => {
    expect(diff("publication realtime", [], [publication({ truncate: false })]).sql).toEqual(["CREATE PUBLICATION realtime WITH (publish = 'insert, update, delete', publish_via_partition_root = false);"]);
  });

  it("adds a table with its column list and row filter", () => {
    expect(diff("publication realtime table public.t", [publication(), table], [publication(), table, member(["id", "Name"], "(id > 0)")]).sql).toEqual([
      'ALTER PUBLICATION realtime ADD TABLE public.t (id, "Name") WHERE ((id > 0));',
    ]);
  });

  it("drops and adds again a table whose column list changes", () => {
    expect(diff("publication realtime table public.t", [publication(), table, member(["id"], null)], [publication(), table, member(null, null)]).sql).toEqual([
      "ALTER PUBLICATION realtime DROP TABLE public.t;",
      "ALTER PUBLICATION realtime ADD TABLE public.t;",
    ]);
  });

  it("leaves a dropped table's membership to the table's drop", () => {
    expect(diff("publication realtime table public.t", [publication(), table, member(null, null)], [publication()]).sql).toEqual([]);
  });

  it("creates an event trigger on some tags, disabled", () => {
    const trigger = obj("eventTriggers", "event trigger on_ddl", { event: "ddl_command_end", tags: ["CREATE TABLE"], function: "public.on_ddl", enabled: "disabled" }, { sql: "on_ddl", extra: { functionSql: "public.on_ddl" } });
    expect(diff("event trigger on_ddl", [], [trigger]).sql).toEqual(["CREATE EVENT TRIGGER on_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.on_ddl();", "ALTER EVENT TRIGGER on_ddl DISABLE;"]);
  });

  it("comments with a quoted literal, and removes a comment from an object that stays", () => {
    const comment = (text: string) => obj("comments", "comment on table public.t", { text }, { sql: "TABLE public.t", extra: { target: "table public.t" } });
    expect(diff("comment on table public.t", [table], [table, comment("It's here")]).sql).toEqual(["COMMENT ON TABLE public.t IS 'It''s here';"]);
    expect(diff("comment on table public.t", [table, comment("x")], [table]).sql).toEqual(["COMMENT ON TABLE public.t IS NULL;"]);
    expect(diff("comment on table public.t", [table, comment("x")], []).sql).toEqual([]);
  });

  it("comments on a trigger from its key when the facts are missing", () => {
    const entry = { object: { category: "comments" as const, key: "comment on trigger public.t.touch", props: { text: "x" } } };
    const { sql } = diff("comment on trigger public.t.touch", [table], [table, entry]);
    expect(sql[0]).toMatch(/^COMMENT ON TRIGGER /);
  });
});

describe("grants on new objects, against the default privileges", () => {
  const defaults = (privileges: string, grantee = "anon", where = " in schema public") => ({
    object: { category: "privileges" as const, key: `default privileges${where} on tables to ${grantee}`, props: { privileges } },
  });

  it("revokes from a new table what the defaults give beyond the grant", () => {
    const grant = obj("privileges", "privilege table public.t to anon", { privileges: "r" }, { extra: { target: "table public.t", on: "TABLE public.t", grantee: "anon" } });
    expect(diff("privilege table public.t to anon", [defaults("arwdDxt")], [defaults("arwdDxt"), table, grant]).sql).toEqual(["REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE public.t FROM anon;"]);
  });

  it("revokes the defaults from a new view whose grantee has nothing on it", () => {
    const view = obj("views", "view public.v", { kind: "view", definition: " SELECT 1;", options: null }, { sql: "public.v", definition: " SELECT 1;", extra: { columns: ["a integer"] } });
    expect(diff("view public.v", [defaults("r", "authenticated", "")], [defaults("r", "authenticated", ""), view]).sql).toEqual(["CREATE VIEW public.v AS\nSELECT 1;", "REVOKE SELECT ON TABLE public.v FROM authenticated;"]);
  });

  it("takes defaults in another schema as not applying", () => {
    const grant = obj("privileges", "privilege table public.t to anon", { privileges: "r" }, { extra: { target: "table public.t", on: "TABLE public.t", grantee: "anon" } });
    expect(diff("privilege table public.t to anon", [defaults("arwd", "anon", " in schema app")], [table, grant]).sql).toEqual(["GRANT SELECT ON TABLE public.t TO anon;"]);
  });
});

describe("which changes the planner recreates, with their dependents", () => {
  const side = (entry: Entry) => ({ object: entry.object, facts: { dependsOn: [], ...entry.facts } as ObjectFacts });
  const view = (columns: string[], definition: string) => obj("views", "view public.v", { kind: "view", definition, options: null }, { definition, extra: { columns } });
  const recreated = (a: Entry, b: Entry) => codeObjectRecreated({ key: a.object.key, category: a.object.category, from: side(a), to: side(b) });

  it("replaces a view with a column added at the end, recreates one whose column changes type", () => {
    expect(recreated(view(["a integer"], "SELECT 1 AS a"), view(["a integer", "b integer"], "SELECT 1 AS a, 2 AS b"))).toBe(false);
    expect(recreated(view(["a integer"], "SELECT 1 AS a"), view(["a bigint"], "SELECT 1::bigint AS a"))).toBe(true);
  });

  it("recreates a function whose return type changes", () => {
    const fn = (returns: string) => obj("functions", "function public.f()", { returns }, { extra: { arguments: "" } });
    expect(recreated(fn("integer"), fn("bigint"))).toBe(true);
    expect(recreated(fn("integer"), fn("integer"))).toBe(false);
  });
});

describe("what a SQL function's body reads", () => {
  const objects = [
    { schema: "public", name: "items", key: "table public.items" },
    { schema: "app", name: "items", key: "table app.items" },
    { schema: "public", name: "My View", key: "view public.My View" },
    { schema: "public", name: "helper", key: "function public.helper()" },
  ];

  it("finds qualified, quoted and bare names, not those inside string literals or the function itself", () => {
    const found = bodyDependencies(
      [
        { key: "function public.a()", body: `select count(*) from app.items join public."My View" v on true where public.helper() > 0 and 'public.items' <> ''` },
        { key: "function public.helper()", body: "select 1 from helper_table" },
        { key: "function public.b()", body: "select * from ITEMS" },
      ],
      objects,
    );
    expect(found.get("function public.a()")?.sort()).toEqual(["function public.helper()", "table app.items", "view public.My View"]);
    expect(found.has("function public.helper()")).toBe(false);
    expect(found.get("function public.b()")?.sort()).toEqual(["table app.items", "table public.items"]);
  });
});
