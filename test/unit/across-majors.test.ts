import { describe, expect, it } from "vitest";
import { comparableAcrossMajors } from "../../src/core/across-majors.js";
import { copiedSettings, rolesNamedIn } from "../../src/core/build-context.js";
import type { Catalog } from "../../src/core/catalog.js";
import { withoutUnmatchableRows } from "../../src/core/seed-data.js";

const grant = (privileges: string): Catalog => ({
  objects: [
    { category: "privileges", key: "privilege table public.t to anon", props: { privileges } },
    { category: "privileges", key: "privilege schema public to PUBLIC", props: { privileges: privileges.includes("m") ? "U" : "CU" } },
    { category: "privileges", key: "default privileges in schema public on tables to anon", props: { privileges } },
    { category: "constraints", key: "constraint public.t.t_id_not_null", props: { type: "n" } },
  ],
});

describe("comparableAcrossMajors", () => {
  it("leaves catalogs of one major alone", () => {
    const catalog = grant("Dadmrtwx");
    expect(comparableAcrossMajors(catalog, catalog, 17, 17)).toEqual([catalog, catalog]);
  });

  it("drops what Postgres 15, 17 and 18 print differently from Postgres 14", () => {
    const [expected, actual] = comparableAcrossMajors(grant("Dadmrtwx"), grant("Dadrtwx"), 18, 14);
    expect(expected).toEqual(actual);
    expect(expected.objects.map((o) => o.key)).toEqual(["privilege table public.t to anon", "privilege schema public to PUBLIC", "default privileges in schema public on tables to anon"]);
    expect(expected.objects[0]!.props.privileges).toBe("Dadrtwx");
  });

  it("does not count a partition's identity column, which only Postgres 17 on gives it", () => {
    const catalog = (identity: string | null): Catalog => ({
      objects: [
        { category: "tables", key: "table public.events", props: { partitionOf: null } },
        { category: "tables", key: "table public.events_2024", props: { partitionOf: "public.events" } },
        { category: "columns", key: "column public.events.id", props: { identity: "a" } },
        { category: "columns", key: "column public.events_2024.id", props: { identity } },
      ],
    });
    const [expected, actual] = comparableAcrossMajors(catalog("a"), catalog(null), 17, 15);
    expect(expected).toEqual(actual);
    expect(expected.objects[2]!.props.identity).toBe("a");
  });

  it("does not compare the extension versions two majors install by default", () => {
    const citext = (version: string): Catalog => ({ objects: [{ category: "extensions", key: "extension citext", props: { schema: "public", version } }] });
    const [expected, actual] = comparableAcrossMajors(citext("1.6"), citext("1.8"), 17, 18);
    expect(expected).toEqual(actual);
    expect(comparableAcrossMajors(citext("1.6"), citext("1.8"), 18, 18)[0]).not.toEqual(comparableAcrossMajors(citext("1.6"), citext("1.8"), 18, 18)[1]);
  });

  it("still sees a real difference between majors", () => {
    const [expected, actual] = comparableAcrossMajors(grant("Dadmrtwx"), grant("r"), 17, 15);
    expect(expected.objects[0]!.props.privileges).not.toBe(actual.objects[0]!.props.privileges);
  });
});

describe("the scratch build's context", () => {
  it("finds the target's roles the migrations name, quoted or not (a word that names a role counts: a superset is harmless)", () => {
    const sql = ['grant select on t to supabase_auth_admin;', 'alter table t owner to "Owner";', "-- anon"];
    expect(rolesNamedIn(sql, ["anon", "Owner", "owner", "supabase_auth_admin", "nobody_here"])).toEqual(["anon", "Owner", "owner", "supabase_auth_admin"]);
  });

  it("borrows no role a migration creates itself (its own CREATE ROLE would fail on the scratch server)", () => {
    const sql = ["create role app_reader nologin;", 'CREATE USER "Writer";', "grant select on t to app_reader, \"Writer\", supabase_auth_admin;"];
    expect(rolesNamedIn(sql, ["app_reader", "Writer", "supabase_auth_admin"])).toEqual(["supabase_auth_admin"]);
  });

  it("copies settings that shape the schema, not those that stop the build", () => {
    expect(copiedSettings(['search_path="$user", public, extensions', "statement_timeout=5s", "default_transaction_read_only=on", "app.settings.jwt_exp=3600"])).toEqual([
      ["search_path", '"$user", public, extensions'],
      ["app.settings.jwt_exp", "3600"],
    ]);
  });
});

describe("withoutUnmatchableRows", () => {
  it("keeps missing rows whose key the SQL gives, drops those with generated keys", () => {
    const findings = [
      { kind: "missing" as const, table: "public.flags", key: { id: "dark-mode" } },
      { kind: "missing" as const, table: "public.flags", key: { id: "0b7c6f0e-1f7e-4c1e-9d7a-3b1f7f2f9a11" } },
      { kind: "missing" as const, table: "public.quotes", key: { id: "it's" } },
    ];
    const sql = ["insert into flags values ('dark-mode'); insert into flags select gen_random_uuid()::text; insert into quotes values ('it''s');"];
    expect(withoutUnmatchableRows(findings, sql).map((f) => f.kind === "missing" && f.key.id)).toEqual(["dark-mode", "it's"]);
  });

  it("compares only the values the SQL gives: a time a migration set with NOW() is the build's, not drift", () => {
    const sql = [`INSERT INTO "Plan" ("id", "name", "updatedAt", "startsAt") VALUES ('free', 'Free', NOW(), '2024-01-01 00:00:00');`];
    const differs = (columns: { column: string; expected: unknown; actual: unknown }[]) => [{ kind: "differs" as const, table: "public.Plan", key: { id: "free" }, columns }];
    // Computed by the build: dropped, and with it the finding.
    expect(withoutUnmatchableRows(differs([{ column: "updatedAt", expected: "2026-11-30T17:07:40.861", actual: "2026-11-30T17:07:40.277" }]), sql)).toEqual([]);
    // Written in the SQL (a literal, a literal date-time): still compared.
    const kept = withoutUnmatchableRows(
      differs([
        { column: "name", expected: "Free", actual: "Gratis" },
        { column: "startsAt", expected: "2024-01-01T00:00:00", actual: "2024-02-01T00:00:00" },
        { column: "updatedAt", expected: "2026-11-30T17:07:40.861", actual: "2026-11-30T17:07:40.277" },
      ]),
      sql,
    );
    expect(kept).toEqual(differs([{ column: "name", expected: "Free", actual: "Gratis" }, { column: "startsAt", expected: "2024-01-01T00:00:00", actual: "2024-02-01T00:00:00" }]));
  });
});
