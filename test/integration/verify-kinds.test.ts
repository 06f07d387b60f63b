/**
 * verify compares every kind of object a migration can set, not only tables and functions: for
 * each kind, a hand-made change is drift (exit 5) named with the file that defined the object,
 * and the same database without the change verifies clean.
 */
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { json, scenario } from "../support/scenario.js";

const READER = "dbkit_kinds_reader";
const OWNER = "dbkit_kinds_owner";
const PROJECT = {
  "migrations/0001_roles.sql": [READER, OWNER].map((role) => `do $$ begin if not exists (select from pg_roles where rolname = '${role}') then create role ${role}; end if; end $$;`).join("\n") + "\n",
  "migrations/0002_tables.sql": [
    "create extension if not exists pg_trgm version '1.5';",
    "create table public.items (id bigint primary key, name text, label text collate \"C\", secret text) with (fillfactor = 90);",
    "alter table public.items replica identity full;",
    "create sequence public.tickets owned by public.items.id;",
    "alter table public.items owner to dbkit_kinds_owner;",
    "create table public.events (id bigint not null, at date not null) partition by range (at);",
    "create table public.events_2024 partition of public.events for values from ('2024-01-01') to ('2025-01-01');",
    "create view public.item_names with (security_invoker = true, security_barrier) as select id, name from public.items;",
    "create rule items_keep as on delete to public.items do instead nothing;",
    "alter table public.items enable row level security;",
    "alter table public.events enable row level security;",
    "alter table public.events_2024 enable row level security;",
    "",
  ].join("\n"),
  "migrations/0003_access.sql": [
    `grant select (id, name) on public.items to ${READER};`,
    `alter default privileges in schema public grant select on tables to ${READER};`,
    "alter default privileges revoke execute on functions from public;",
    "",
  ].join("\n"),
  "migrations/0004_comments.sql": "comment on table public.items is 'Things for sale';\ncomment on column public.items.name is 'Display name';\n",
  "migrations/0005_platform.sql": [
    // auth.users comes from the Supabase base dbkit installs locally (the migrations use auth.*).
    "create function public.on_signup() returns trigger language plpgsql as $$ begin return new; end $$;",
    "create trigger on_signup after insert on auth.users for each row execute function public.on_signup();",
    "comment on trigger on_signup on auth.users is 'Creates the profile';",
    "create publication dbkit_kinds_pub for table public.items;",
    "create publication dbkit_kinds_filtered for table public.events_2024 (id, at) where (id > 0);",
    "alter publication dbkit_kinds_pub add table auth.users;",
    "create schema reports;",
    "create publication dbkit_kinds_schemas for tables in schema reports;",
    "create function public.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;",
    "create event trigger dbkit_kinds_ddl on ddl_command_end when tag in ('CREATE TABLE', 'ALTER TABLE') execute function public.on_ddl();",
    "",
  ].join("\n"),
};

async function migrated() {
  const s = await scenario(PROJECT);
  const result = await s.dbkit(["migrate"]);
  expect(result.code, result.stderr).toBe(0);
  return { ...s, verify: (extra: string[] = []) => s.dbkit(["verify", "--shadow-url", serverUrl(), ...extra]) };
}

describe("dbkit verify: every kind of object", () => {
  it("passes on the freshly migrated database, counting the new kinds", async () => {
    const s = await migrated();
    const result = await s.verify(["--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = json(result);
    expect(doc.findings.filter((f: { section: string }) => f.section !== "Security")).toEqual([]);
    const checked = Object.fromEntries(doc.sections.map((x: { name: string; checked: string }) => [x.name, x.checked]));
    expect(checked.Triggers).toBe("1 triggers, 1 rules, 1 event triggers");
    expect(checked.Publications).toBe("7 publications and publication tables");
    expect(checked.Comments).toBe("4 comments"); // public's own "standard public schema" is one
  });

  it.each([
    ["a revoked column grant", `revoke select (name) on public.items from ${READER}`, "Privileges", `- privilege column public.items.name to ${READER}: missing (defined in migrations/0003_access.sql)`],
    ["an added column grant", `grant update (secret) on public.items to ${READER}`, "Privileges", `+ privilege column public.items.secret to ${READER}: not created by the migrations`],
    ["a view option reset (security_invoker)", "alter view public.item_names reset (security_invoker)", "Views", "~ view public.item_names: options differs (defined in migrations/0002_tables.sql)"],
    ["a view's check option", "alter view public.item_names set (check_option = local)", "Views", "~ view public.item_names: options differs"],
    ["a table storage option", "alter table public.items set (fillfactor = 70)", "Tables", "~ table public.items: options differs (defined in migrations/0002_tables.sql)"],
    ["a changed comment on a column", "comment on column public.items.name is 'Name'", "Comments", "~ comment on column public.items.name: text differs (defined in migrations/0004_comments.sql)"],
    ["a dropped comment on a table", "comment on table public.items is null", "Comments", "- comment on table public.items: missing (defined in migrations/0004_comments.sql)"],
    ["a comment on a trigger on auth.users", "comment on trigger on_signup on auth.users is 'x'", "Comments", "~ comment on trigger auth.users.on_signup: text differs (defined in migrations/0005_platform.sql)"],
    ["a hand-made comment on a function", "comment on function public.on_ddl() is 'x'", "Comments", "+ comment on function public.on_ddl(): not created by the migrations"],
    ["a table dropped from a publication", "alter publication dbkit_kinds_pub drop table public.items", "Publications", "- publication dbkit_kinds_pub table public.items: missing (defined in migrations/0005_platform.sql)"],
    ["auth.users dropped from a publication", "alter publication dbkit_kinds_pub drop table auth.users", "Publications", "- publication dbkit_kinds_pub table auth.users: missing (defined in migrations/0005_platform.sql)"],
    ["a table added to a publication", "alter publication dbkit_kinds_pub add table public.events_2024", "Publications", "+ publication dbkit_kinds_pub table public.events_2024: not created by the migrations"],
    ["a publication's row filter", "alter publication dbkit_kinds_filtered set table public.events_2024 (id, at) where (id > 10)", "Publications", "~ publication dbkit_kinds_filtered table public.events_2024: row filter differs (defined in migrations/0005_platform.sql)"],
    ["a publication's column list", "alter publication dbkit_kinds_filtered set table public.events_2024 (id) where (id > 0)", "Publications", "~ publication dbkit_kinds_filtered table public.events_2024: column list differs"],
    ["a schema dropped from a publication", "alter publication dbkit_kinds_schemas drop tables in schema reports", "Publications", "- publication dbkit_kinds_schemas schema reports: missing (defined in migrations/0005_platform.sql)"],
    ["a schema added to a publication", "alter publication dbkit_kinds_pub add tables in schema reports", "Publications", "+ publication dbkit_kinds_pub schema reports: not created by the migrations"],
    ["a publication's operations", "alter publication dbkit_kinds_pub set (publish = 'insert')", "Publications", "~ publication dbkit_kinds_pub: update, delete, truncate differ (defined in migrations/0005_platform.sql)"],
    ["a revoked default privilege", `alter default privileges in schema public revoke select on tables from ${READER}`, "Privileges", `- default privileges in schema public on tables to ${READER}: missing (defined in migrations/0003_access.sql)`],
    ["PUBLIC's default EXECUTE given back", "alter default privileges grant execute on functions to public", "Privileges", "- default privileges on functions to PUBLIC: missing (defined in migrations/0003_access.sql)"],
    ["a sequence's OWNED BY", "alter sequence public.tickets owned by none", "Tables", "~ sequence public.tickets: OWNED BY differs"],
    ["a replica identity", "alter table public.items replica identity default", "Tables", "~ table public.items: replica identity differs (defined in migrations/0002_tables.sql)"],
    ["a column collation", "alter table public.items alter column label type text collate \"POSIX\"", "Tables", "~ column public.items.label: collation differs (defined in migrations/0002_tables.sql)"],
    ["a detached partition", "alter table public.events detach partition public.events_2024", "Tables", "~ table public.events_2024: partition parent, partition bound differ (defined in migrations/0002_tables.sql)"],
    ["a disabled event trigger", "alter event trigger dbkit_kinds_ddl disable", "Triggers", "~ event trigger dbkit_kinds_ddl: enabled state differs (defined in migrations/0005_platform.sql)"],
    ["an event trigger's tag added", "drop event trigger dbkit_kinds_ddl; create event trigger dbkit_kinds_ddl on ddl_command_end when tag in ('ALTER TABLE', 'CREATE TABLE', 'DROP TABLE') execute function public.on_ddl()", "Triggers", "~ event trigger dbkit_kinds_ddl: tags differs (defined in migrations/0005_platform.sql)"],
    ["a hand-made event trigger", "create event trigger adhoc on sql_drop execute function public.on_ddl()", "Triggers", "+ event trigger adhoc: not created by the migrations"],
    ["a dropped rule", "drop rule items_keep on public.items", "Triggers", "- rule public.items.items_keep: missing (defined in migrations/0002_tables.sql)"],
    ["an updated extension", "alter extension pg_trgm update to '1.6'", "Schemas", "~ extension pg_trgm: version differs (defined in migrations/0002_tables.sql)"],
    ["an owner changed back", `alter table public.items owner to ${READER}`, "Tables", "~ table public.items: owner differs (defined in migrations/0002_tables.sql)"],
  ])("catches %s", async (_what, change, section, line) => {
    const s = await migrated();
    await s.db.sql.unsafe(change);
    const result = await s.verify();
    expect(result.code, result.stdout + result.stderr).toBe(5);
    expect(result.stdout).toMatch(new RegExp(`❌ FAILED +${section} +1 difference\\b`));
    expect(result.stdout).toContain(line);
  });

  it("leaves out what is not the project's: another role's default privileges, comments on platform objects", async () => {
    const s = await migrated();
    // As a platform does for its own admin role, and for its own tables.
    await s.db.sql.unsafe(`alter default privileges for role ${OWNER} in schema public grant select on tables to ${READER}; comment on table auth.users is 'platform table'`);
    const result = await s.verify();
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it("takes an event trigger's tags as a set: the same tags written in another order are no drift", async () => {
    const s = await migrated();
    await s.db.sql.unsafe("drop event trigger dbkit_kinds_ddl; create event trigger dbkit_kinds_ddl on ddl_command_end when tag in ('ALTER TABLE', 'CREATE TABLE') execute function public.on_ddl()");
    const result = await s.verify();
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it("names a schema dropped from a publication (FOR TABLES IN SCHEMA) in --json, with its file", async () => {
    const s = await migrated();
    await s.db.sql.unsafe("alter publication dbkit_kinds_schemas drop tables in schema reports");
    const result = await s.verify(["--json"]);
    expect(result.code, result.stdout + result.stderr).toBe(5);
    expect(json(result).findings).toContainEqual(expect.objectContaining({ section: "Publications", object: "publication dbkit_kinds_schemas schema reports", definedIn: "migrations/0005_platform.sql" }));
  });

  it("catches a changed partition key, and --json names the object, its section and its file", async () => {
    const s = await migrated();
    await s.db.sql.unsafe("drop table public.events; create table public.events (id bigint not null, at date not null) partition by list (at); create table public.events_2024 partition of public.events for values in ('2024-01-01')");
    const result = await s.verify(["--json"]);
    expect(result.code).toBe(5);
    // Recreating the tables also loses their RLS and grants; the partitioning is what this test is about.
    expect(json(result).findings.filter((f: { section: string }) => f.section === "Tables")).toEqual([
      expect.objectContaining({ section: "Tables", object: "table public.events", expected: "RANGE (at)", actual: "LIST (at)", definedIn: "migrations/0002_tables.sql" }),
      expect.objectContaining({ section: "Tables", object: "table public.events_2024", message: "partition bound differs", definedIn: "migrations/0002_tables.sql" }),
    ]);
  });
});
