/**
 * reset removes what the migrations set outside the schemas it drops and what the next migrate
 * would trip over: a platform table or schema added to a publication, event triggers, default privileges
 * granted for every schema or in a platform schema.
 */
import { describe, expect, it } from "vitest";
import { scenario } from "../support/scenario.js";

const ROLE = "dbkit_reset_reader";
const PLATFORM = `
do $$ begin if not exists (select from pg_roles where rolname = '${ROLE}') then create role ${ROLE}; end if; end $$;
create schema platform;
create table platform.users (id int primary key);
create publication platform_changes;
create schema platform_audit;
create publication platform_schemas;
create function platform.audit() returns event_trigger language plpgsql as $$ begin end $$;
`;

const PROJECT = {
  "migrations/0001_app.sql": "create table public.notes (id int primary key);\n",
  "migrations/0002_outside.sql": [
    "alter publication platform_changes add table platform.users;",
    "alter publication platform_schemas add tables in schema platform_audit;",
    "create event trigger app_audit on ddl_command_end execute function platform.audit();",
    `alter default privileges grant select on tables to ${ROLE};`,
    `alter default privileges in schema platform grant select on sequences to ${ROLE};`,
    "",
  ].join("\n"),
};

async function leftovers(s: Awaited<ReturnType<typeof scenario>>) {
  const [row] = await s.db.sql.unsafe(`select
    (select count(*)::int from pg_publication_rel where prrelid = 'platform.users'::regclass) as members,
    (select count(*)::int from pg_publication_namespace where pnnspid = 'platform_audit'::regnamespace) as schema_members,
    (select count(*)::int from pg_event_trigger where evtname = 'app_audit') as event_triggers,
    (select count(*)::int from pg_default_acl where defaclacl::text like '%${ROLE}%') as default_acls`);
  return row;
}

describe("dbkit reset: objects outside the owned schemas", () => {
  it("removes publication memberships, event triggers and default privileges, so migrate runs again", async () => {
    const s = await scenario(PROJECT);
    await s.db.sql.unsafe(PLATFORM);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect(await leftovers(s)).toEqual({ members: 1, schema_members: 1, event_triggers: 1, default_acls: 2 });

    const reset = await s.dbkit(["reset", "--yes"]);
    expect(reset.code, reset.stdout + reset.stderr).toBe(0);
    expect(reset.stderr).toContain("table platform.users from publication platform_changes");
    expect(reset.stderr).toContain("schema platform_audit from publication platform_schemas");
    expect(reset.stderr).toContain("event trigger app_audit");
    expect(reset.stderr).toContain(`default privileges on tables to "${ROLE}"`);

    const dropped = await s.dbkit(["reset", "--yes", "--no-migrate"]);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(await leftovers(s)).toEqual({ members: 0, schema_members: 0, event_triggers: 0, default_acls: 0 });
    // The platform's own objects stay.
    const [kept] = await s.db.sql`select count(*)::int as n from pg_publication where pubname = 'platform_changes'`;
    expect(kept!.n).toBe(1);
  });
});
