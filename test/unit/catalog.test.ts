import { describe, expect, it } from "vitest";
import { diffCatalogs, privilegeObjects, type Catalog } from "../../src/core/catalog.js";
import { chooseKey, compareSeedRows, isGeneratedColumn } from "../../src/core/seed-data.js";

const catalog = (...objects: Catalog["objects"]): Catalog => ({ objects });

describe("comparing catalogs", () => {
  it("reports missing, extra and changed objects, ignoring order", () => {
    const expected = catalog(
      { category: "tables", key: "table public.a", props: { kind: "table" } },
      { category: "functions", key: "function public.f()", props: { body: "select 1" } },
      { category: "indexes", key: "index public.i", props: { table: "public.a", valid: true } },
    );
    const actual = catalog(
      { category: "indexes", key: "index public.i", props: { table: "public.a", valid: false } },
      { category: "functions", key: "function public.f()", props: { body: "select 1" } },
      { category: "tables", key: "table public.a", props: { kind: "table" } },
      { category: "tables", key: "table public.hotfix", props: { kind: "table" } },
    );
    expect(diffCatalogs(expected, expected)).toEqual([]);
    expect(diffCatalogs(expected, actual, (key) => (key === "index public.i" ? "migrations/0003.sql" : undefined))).toEqual([
      { kind: "changed", category: "indexes", key: "index public.i", props: [{ prop: "valid", expected: true, actual: false }], definedIn: "migrations/0003.sql" },
      { kind: "extra", category: "tables", key: "table public.hotfix" },
    ]);
  });

  it("reports a missing table once, not once per column, index and policy", () => {
    const expected = catalog(
      { category: "tables", key: "table public.a", props: {} },
      { category: "columns", key: "column public.a.id", props: {} },
      { category: "indexes", key: "index public.a_pkey", props: { table: "public.a" } },
      { category: "policies", key: "policy public.a.p", props: {} },
      { category: "rls", key: "rls public.a", props: {} },
    );
    expect(diffCatalogs(expected, catalog())).toEqual([{ kind: "missing", category: "tables", key: "table public.a" }]);
  });

  it("turns ACLs into one privilege object per role of interest", () => {
    const acl = '{postgres=arwdDxtm/postgres,app_reader=r/postgres,"weird role"=rw/postgres,=r/postgres}';
    expect(privilegeObjects("table", "public.t", acl, new Set(["app_reader", "weird role", ""]))).toEqual([
      { category: "privileges", key: "privilege table public.t to app_reader", props: { privileges: "r" } },
      { category: "privileges", key: "privilege table public.t to weird role", props: { privileges: "rw" } },
      { category: "privileges", key: "privilege table public.t to PUBLIC", props: { privileges: "r" } },
    ]);
    expect(privilegeObjects("table", "public.t", null, new Set([""]))).toEqual([]);
  });
});

describe("seed rows", () => {
  it("ignores generated columns when choosing the key and comparing", () => {
    expect(isGeneratedColumn({ default: "gen_random_uuid()", identity: null, generated: null })).toBe(true);
    expect(isGeneratedColumn({ default: "now()", identity: null, generated: null })).toBe(true);
    expect(isGeneratedColumn({ default: null, identity: "a", generated: null })).toBe(true);
    expect(isGeneratedColumn({ default: "'on'::text", identity: null, generated: null })).toBe(false);
    expect(chooseKey([["id"], ["config_key"]], new Set(["id"]))).toEqual(["config_key"]);
    expect(chooseKey([["id"]], new Set(["id"]))).toBeUndefined();
  });

  it("finds missing rows and rows whose values differ", () => {
    const expected = [{ table: "public.settings", keyColumns: ["key"], compareColumns: ["value"], rows: [{ key: "a", value: "1" }, { key: "b", value: "2" }] }];
    const actual = new Map([["public.settings", [{ key: "a", value: "changed" }]]]);
    expect(compareSeedRows(expected, actual)).toEqual([
      { kind: "differs", table: "public.settings", key: { key: "a" }, columns: [{ column: "value", expected: "1", actual: "changed" }] },
      { kind: "missing", table: "public.settings", key: { key: "b" } },
    ]);
  });

  it("does not match rows by a unique key they hold NULL in: such rows are unverifiable, not missing", () => {
    const expected = [{ table: "public.comment", keyColumns: ["translation_id"], compareColumns: ["content"], rows: [{ translation_id: null, content: "a" }, { translation_id: null, content: "b" }, { translation_id: "t1", content: "c" }] }];
    const actual = new Map([["public.comment", [{ translation_id: null, content: "a" }, { translation_id: null, content: "b" }, { translation_id: "t1", content: "c" }]]]);
    expect(compareSeedRows(expected, actual)).toEqual([
      { kind: "unverifiable", table: "public.comment", reason: "2 seeded row(s) with NULL in the unique key (translation_id) cannot be matched" },
    ]);
  });
});
