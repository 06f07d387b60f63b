import { describe, expect, it } from "vitest";
import { extraForeignObjects } from "../../src/core/foreign-extra.js";
import { extraDefinitionSites, extraScope, extraSiteOf } from "../../src/core/verify-scope-extra.js";
import { statements } from "../support/parse.js";

const SQL = `
  create publication app_changes for table public.items, billing.invoices;
  alter publication supabase_realtime add table public.messages, auth.users;
  create publication billing_changes for tables in schema billing, table public.items;
  alter publication supabase_realtime add tables in schema storage, billing;
  create event trigger audit on ddl_command_end execute function public.audit();
  alter default privileges for role app_owner in schema public grant select on tables to anon;
  alter default privileges grant execute on functions to authenticated;
  alter default privileges in schema storage grant select on sequences to anon;
  alter default privileges revoke execute on functions from public;
  alter table public.items owner to app_owner;
  alter function public.touch(int) owner to app_owner;
  alter schema billing owner to app_owner;
  alter type public.mood owner to app_owner;
  create rule keep as on delete to public.items do instead nothing;
  comment on column public.items.name is 'x';
  comment on function public.touch(int) is 'y';
  comment on policy "Public read" on storage.objects is 'z';
  grant select (id, name) on public.items to anon;
  create extension if not exists pg_trgm;
  create trusted language pl2 handler plpgsql_call_handler;
  revoke usage on language plpgsql, pl2 from public;
  alter language pl2 owner to app_owner;
`;

describe("verify's scope beyond tables and functions", () => {
  it("reads publications, event triggers, FOR ROLE roles, owners and languages from the migrations", async () => {
    expect(extraScope(await statements(SQL))).toEqual({
      publications: ["app_changes", "billing_changes"],
      publicationTables: [["supabase_realtime", "public", "messages"], ["supabase_realtime", "auth", "users"]],
      publicationSchemas: [["supabase_realtime", "storage"], ["supabase_realtime", "billing"]],
      eventTriggers: ["audit"],
      defaultPrivilegeRoles: ["app_owner"],
      owners: ["table public.items", "function public.touch", "schema billing", "type public.mood"],
      languages: ["pl2", "plpgsql"],
    });
  });

  it("attributes each new kind to the file that defines it", async () => {
    const sites = extraDefinitionSites([{ path: "migrations/0001.sql", statements: await statements(SQL) }]);
    for (const key of [
      "publication app_changes table billing.invoices",
      "publication supabase_realtime table auth.users",
      "publication billing_changes schema billing",
      "publication supabase_realtime schema storage",
      "event trigger audit",
      "default privileges for role app_owner in schema public on tables to anon",
      "default privileges on functions to authenticated",
      "rule public.items.keep",
      "comment on column public.items.name",
      "comment on function public.touch(integer)",
      "comment on policy storage.objects.Public read",
      "privilege column public.items.name to anon",
      "extension pg_trgm",
    ]) {
      expect(extraSiteOf(key, sites), key).toBe("migrations/0001.sql");
    }
    expect(extraSiteOf("rule public.items.other", sites)).toBeUndefined();
  });

  it("gives reset the REVOKE of each default-privilege GRANT outside the owned schemas, never undoing a REVOKE", async () => {
    const found = extraForeignObjects(await statements(SQL), ["public", "billing"]);
    expect(found).toEqual([
      { kind: "publication table", publication: "supabase_realtime", schema: "auth", table: "users" },
      { kind: "publication schema", publication: "supabase_realtime", schema: "storage" },
      { kind: "event trigger", name: "audit" },
      { kind: "default privileges", revoke: 'alter default privileges revoke execute on functions from "authenticated"', label: 'on functions to "authenticated"', roles: ["authenticated"] },
      { kind: "default privileges", revoke: 'alter default privileges in schema "storage" revoke select on sequences from "anon"', label: 'in schema "storage" on sequences to "anon"', roles: ["anon"] },
    ]);
  });
});
