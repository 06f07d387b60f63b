/**
 * diff round trips for the code and security kinds: state A and state B built in two fresh
 * databases, the plan applied on A, and verify's comparer must find A equal to B. Each kind is
 * created, altered and dropped.
 */
import { beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { serverUrl } from "../support/databases.js";
import { diffRoundTrip } from "../support/diff-round-trip.js";

const ANON = "dbkit_dc_anon";
const AUTHENTICATED = "dbkit_dc_authenticated";

beforeAll(async () => {
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => undefined });
  for (const role of [ANON, AUTHENTICATED]) {
    // Roles are the server's, shared by every test database; another run may have made them.
    await admin.unsafe(`do $$ begin create role ${role}; exception when duplicate_object or unique_violation then null; end $$`);
  }
  await admin.end();
});

/** A round trip that must be exact, with nothing unsupported; returns the plan's SQL. */
async function exact(from: string, to: string): Promise<string> {
  const trip = await diffRoundTrip(from, to);
  expect(trip.plan.unsupported, trip.sql).toEqual([]);
  expect(trip.differences, trip.sql).toEqual([]);
  return trip.sql;
}

// No keys: constraints are the structural differs' to prove.
const TABLE = "create table public.items (id bigint not null, owner text, name text, price int);";
/** The journal's table: its owner is the role that ran the migrations, whose default privileges the catalog lists. */
const JOURNAL = "create schema dbkit; create table dbkit.migrations (version text);";

describe("diff round trip: views", () => {
  const base = `${TABLE} create view public.names as select id, name from public.items;`;

  it("creates a view on a view, and drops them", async () => {
    const both = `${base} create view public.short_names as select id from public.names where length(name) < 5;`;
    await exact(TABLE, both);
    await exact(both, TABLE);
  });

  it("replaces a view whose new column comes at the end, keeping the view on it", async () => {
    const on = "create view public.named as select id from public.names;";
    const sql = await exact(`${base} ${on}`, `${TABLE} create view public.names as select id, name, price from public.items; ${on}`);
    expect(sql).toContain("CREATE OR REPLACE VIEW public.names");
    expect(sql).not.toContain("DROP VIEW");
  });

  it("drops and creates a view whose column changes type, with the view on it and its grants", async () => {
    const on = `create view public.named as select id from public.names; grant select on public.names to ${ANON};`;
    const sql = await exact(`${base} ${on}`, `${TABLE} create view public.names as select id, name::varchar(20) as name from public.items; ${on}`);
    expect(sql).toContain("DROP VIEW public.names");
  });

  it("sets security_invoker and check_option, then resets them", async () => {
    const secured = `${TABLE} create view public.names with (security_invoker = true, check_option = local) as select id, name from public.items;`;
    const sql = await exact(base, secured);
    expect(sql).toContain("ALTER VIEW public.names SET (");
    await exact(secured, base);
  });

  it("recreates a changed materialized view with its index", async () => {
    const mv = (column: string) => `${TABLE} create materialized view public.totals as select owner, sum(${column}) as total from public.items group by owner;`;
    const index = "create unique index totals_owner on public.totals (owner);";
    await exact(TABLE, mv("price"));
    const sql = await exact(`${mv("price")} ${index}`, `${mv("id")} ${index}`);
    expect(sql).toContain("DROP MATERIALIZED VIEW public.totals");
    await exact(mv("price"), TABLE);
  });
});

describe("diff round trip: functions and procedures", () => {
  const fn = (body: string, returns = "integer") => `create function public.next_price(p integer) returns ${returns} language sql stable as $$ select ${body} $$;`;

  it("creates a function a column default uses, before the table", async () => {
    await exact("", `${fn("p + 1")} create table public.prices (id int, price integer default public.next_price(1));`);
  });

  it("keeps the grants of a security definer function whose body changes", async () => {
    const definer = (body: string) =>
      `create function public.secret(p integer) returns integer language plpgsql security definer set search_path = '' as $$ begin return ${body}; end $$;
       revoke execute on function public.secret(integer) from public; grant execute on function public.secret(integer) to ${AUTHENTICATED};`;
    const sql = await exact(definer("p"), definer("p * 2"));
    expect(sql).toContain("CREATE OR REPLACE FUNCTION public.secret");
    expect(sql).not.toContain("DROP FUNCTION");
    expect(sql).not.toMatch(/GRANT|REVOKE/);
  });

  it("drops and creates a function whose return type changes, granting it again", async () => {
    const grant = `grant execute on function public.next_price(integer) to ${ANON};`;
    const sql = await exact(`${fn("p + 1")} ${grant}`, `${fn("p + 1", "bigint")} ${grant}`);
    expect(sql).toContain("DROP FUNCTION public.next_price(p integer)");
  });

  it("creates a SQL function after the table and function its body reads (pg_depend records neither)", async () => {
    // Named so that neither key order nor category order puts them right.
    await exact("", `${TABLE} create function public.z_items() returns bigint language sql as $$ select count(*) from items where name <> 'public.none' $$;
      create function public.a_count() returns bigint language sql as $$ select public.z_items() $$;`);
  });

  it("drops and creates a function whose argument is renamed, with its grants", async () => {
    const named = (arg: string) => `create function public.twice(${arg} integer) returns integer language sql as $$ select ${arg} * 2 $$; grant execute on function public.twice(integer) to ${ANON};`;
    await exact(named("a"), named("b"));
  });

  it("recreates the view on a function whose return type changes", async () => {
    const used = (type: string) => `create function public.one() returns ${type} language sql as 'select 1'; create view public.ones as select public.one() as v; grant select on public.ones to ${ANON};`;
    const sql = await exact(used("integer"), used("bigint"));
    expect(sql).toContain("DROP VIEW public.ones");
  });

  it("drops and creates a function whose return type changes under a column default, a check and an index that call it", async () => {
    const used = (type: string) => `create function public.base() returns ${type} language sql immutable as 'select 1';
      create table public.rows (a bigint default public.base(), b int check (b > public.base())); create index rows_b on public.rows ((b + public.base()));`;
    const sql = await exact(used("integer"), used("bigint"));
    expect(sql).toContain("DROP DEFAULT");
  });

  it("sets the owner of a view and a function", async () => {
    const objects = `${TABLE} create view public.names as select id, name from public.items; create function public.f() returns int language sql as 'select 1';`;
    await exact(objects, `${objects} alter view public.names owner to ${AUTHENTICATED}; alter function public.f() owner to ${AUTHENTICATED};`);
  });

  it("creates, changes and drops a procedure", async () => {
    const proc = (value: number) => `create table public.log (n int); create procedure public.note() language sql as $$ insert into public.log values (${value}) $$;`;
    await exact("create table public.log (n int);", proc(1));
    await exact(proc(1), proc(2));
    await exact(proc(1), "create table public.log (n int);");
  });
});

describe("diff round trip: triggers and rules", () => {
  const touch = "create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;";
  const trigger = (when: string) => `${TABLE} ${touch} create trigger items_touch ${when} update on public.items for each row execute function public.touch();`;

  it("creates, changes, disables and drops a trigger", async () => {
    await exact(`${TABLE} ${touch}`, trigger("before"));
    await exact(trigger("before"), trigger("after"));
    await exact(trigger("before"), `${trigger("before")} alter table public.items disable trigger items_touch;`);
    await exact(trigger("before"), `${TABLE} ${touch}`);
  });

  it("creates, replaces, disables and drops a rule", async () => {
    const rule = (event: string) => `${TABLE} create rule items_keep as on ${event} to public.items do instead nothing;`;
    await exact(TABLE, rule("delete"));
    await exact(rule("delete"), rule("update"));
    await exact(rule("delete"), `${rule("delete")} alter table public.items disable rule items_keep;`);
    await exact(rule("delete"), TABLE);
  });
});

describe("diff round trip: RLS and policies", () => {
  const uid = "create function public.uid() returns text language sql stable as $$ select current_user::text $$;";
  const secured = `${TABLE} ${uid} alter table public.items enable row level security;`;
  const policy = (command: string, using: string) => `${secured} create policy "Own items" on public.items for ${command} to ${AUTHENTICATED} using (${using});`;

  it("enables, forces and disables row level security", async () => {
    await exact(TABLE, `${TABLE} alter table public.items enable row level security; alter table public.items force row level security;`);
    await exact(`${TABLE} alter table public.items enable row level security;`, TABLE);
  });

  it("creates a policy calling a function, alters it in place, recreates it for another command, and drops it", async () => {
    await exact(TABLE, policy("select", "owner = public.uid()"));
    const altered = await exact(policy("select", "owner = public.uid()"), policy("select", "owner = public.uid() or owner is null"));
    expect(altered).toContain('ALTER POLICY "Own items" ON public.items');
    await exact(policy("select", "owner = public.uid()"), policy("all", "owner = public.uid()"));
    await exact(policy("select", "owner = public.uid()"), secured);
  });
});

describe("diff round trip: grants", () => {
  it("grants and revokes column privileges to two roles", async () => {
    const columns = `${TABLE} grant select (id, name) on public.items to ${ANON}; grant select (id, name, price), update (name) on public.items to ${AUTHENTICATED};`;
    await exact(TABLE, columns);
    await exact(columns, `${TABLE} grant select (id) on public.items to ${ANON};`);
  });

  it("grants and revokes on tables, sequences, schemas and functions, PUBLIC too", async () => {
    const objects = `${TABLE} create schema app; create sequence public.tickets; create function public.f() returns int language sql as 'select 1';`;
    const granted = `${objects} grant select, insert on public.items to ${ANON}; grant usage on schema app to ${ANON}; grant usage on sequence public.tickets to ${AUTHENTICATED};
      grant select on public.items to public; revoke execute on function public.f() from public; grant execute on function public.f() to ${ANON};`;
    await exact(objects, granted);
    await exact(granted, objects);
  });

  it("revokes PUBLIC's EXECUTE alone from a function that had no ACL, and grants it back", async () => {
    const fn = "create function public.f() returns int language sql as 'select 1'; create procedure public.p() language sql as 'select 1';";
    const closed = `${fn} revoke execute on function public.f() from public; revoke execute on procedure public.p() from public;`;
    const sql = await exact(fn, closed);
    expect(sql).toContain("REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC;");
    expect(sql).toContain("REVOKE EXECUTE ON PROCEDURE public.p() FROM PUBLIC;");
    expect(await exact(closed, fn)).toContain("GRANT EXECUTE ON FUNCTION public.f() TO PUBLIC;");
    // Created closed, and created open (the default: nothing to write).
    await exact(JOURNAL, `${JOURNAL} ${closed}`);
    expect(await exact(JOURNAL, `${JOURNAL} ${fn}`)).not.toContain("EXECUTE");
  });

  it("writes no grant to the role that creates a new object (its owner holds them), where the migrations name that role", async () => {
    const owner = decodeURIComponent(new URL(serverUrl()).username);
    const named = `${TABLE} grant select on public.items to "${owner}";`;
    const created = `${named} create table public.more (id int); create sequence public.q; create view public.v as select 1 as a; create schema app;
      create function public.f() returns int language sql as 'select 1';`;
    expect(await exact(named, created)).not.toContain("GRANT");
    // The owner's own privileges revoked on a new object are revoked.
    expect(await exact(named, `${created} revoke delete on public.more from "${owner}";`)).toContain(`REVOKE DELETE ON TABLE public.more FROM ${owner};`);
  });

  it("alters default privileges, globally and in a schema", async () => {
    const defaults = `${JOURNAL} alter default privileges in schema public grant select, insert on tables to ${ANON}; alter default privileges revoke execute on functions from public;`;
    const sql = await exact(JOURNAL, defaults);
    expect(sql).toContain("ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;");
    await exact(defaults, `${JOURNAL} alter default privileges in schema public grant select on tables to ${ANON};`);
  });

  it("gives a new table created under default privileges exactly the grants asked for", async () => {
    const defaults = `${JOURNAL} alter default privileges in schema public grant all on tables to ${ANON}, ${AUTHENTICATED};`;
    await exact(defaults, `${defaults} ${TABLE} revoke all on public.items from ${ANON}; revoke insert, delete on public.items from ${AUTHENTICATED};`);
  });
});

describe("diff round trip: triggers and policies on a platform's tables", () => {
  // Made in a DO block, as a platform's base is: the schemas are not the project's, only what it puts on them.
  const platform = `do $$ begin execute 'create schema auth'; execute 'create table auth.users (id uuid primary key, email text)';
    execute 'create schema storage'; execute 'create table storage.objects (id uuid primary key, bucket_id text, owner uuid)'; end $$;
    create table public.profiles (id uuid primary key);
    create function public.on_signup() returns trigger language plpgsql security definer set search_path = '' as $$ begin insert into public.profiles values (new.id); return new; end $$;`;
  const hooked = (timing: string, bucket: string) => `${platform}
    create trigger on_signup ${timing} insert on auth.users for each row execute function public.on_signup();
    create policy "Avatars are public" on storage.objects for select to ${ANON} using (bucket_id = '${bucket}');`;

  it("creates, changes and drops an auth trigger and a storage policy", async () => {
    await exact(platform, hooked("after", "avatars"));
    await exact(hooked("after", "avatars"), hooked("before", "images"));
    await exact(hooked("after", "avatars"), platform);
  });

  it("adds a table to and drops it from a publication the platform made", async () => {
    const realtime = `do $$ begin execute 'create publication supabase_realtime'; end $$; ${TABLE}`;
    await exact(realtime, `${realtime} alter publication supabase_realtime add table public.items;`);
    await exact(`${realtime} alter publication supabase_realtime add table public.items;`, realtime);
  });
});

describe("diff round trip: grants against another role's default privileges", () => {
  it("grants on a new table what another role's default privileges would have given, since that role does not create it", async () => {
    const defaults = `alter default privileges for role ${AUTHENTICATED} in schema public grant select on tables to ${ANON};`;
    const sql = await exact(defaults, `${defaults} ${TABLE} grant select on public.items to ${ANON};`);
    expect(sql).toContain(`GRANT SELECT ON TABLE public.items TO ${ANON};`);
  });
});

describe("diff round trip: publications, event triggers, comments", () => {
  const other = "create table public.orders (id bigint not null, total int);";

  it("creates a publication, adds a table with a column list and row filter, and drops it", async () => {
    const pub = `${TABLE} ${other} create publication app_changes for table public.items with (publish = 'insert, update');`;
    await exact(`${TABLE} ${other}`, pub);
    await exact(pub, `${pub} alter publication app_changes add table public.orders (id, total) where (total > 0);`);
    await exact(pub, `${TABLE} ${other} create publication app_changes for table public.items with (publish = 'insert');`);
    await exact(pub, `${TABLE} ${other}`);
  });

  it("adds and drops a schema's tables in a publication", async () => {
    await exact("create schema reports; create publication rep;", "create schema reports; create publication rep for tables in schema reports;");
    await exact("create schema reports; create publication rep for tables in schema reports;", "create schema reports; create publication rep;");
  });

  it("creates, disables and drops an event trigger", async () => {
    const fn = "create function public.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;";
    const evt = `${fn} create event trigger dbkit_dc_ddl on ddl_command_end when tag in ('CREATE TABLE') execute function public.on_ddl();`;
    await exact(fn, evt);
    await exact(evt, `${evt} alter event trigger dbkit_dc_ddl disable;`);
    await exact(evt, fn);
  });

  it("writes nothing for an event trigger whose tags are the same set in another order", async () => {
    const fn = "create function public.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;";
    const evt = (tags: string) => `${fn} create event trigger dbkit_dc_tags on ddl_command_end when tag in (${tags}) execute function public.on_ddl();`;
    expect(await exact(evt("'CREATE TABLE', 'ALTER TABLE'"), evt("'ALTER TABLE', 'CREATE TABLE'"))).toBe("");
    await exact(evt("'CREATE TABLE', 'ALTER TABLE'"), evt("'ALTER TABLE', 'DROP TABLE'"));
  });

  it("comments on a table, a column, a view, a function, a trigger and a policy; changes and removes them", async () => {
    const objects = `${TABLE} create view public.names as select id, name from public.items; create function public.f() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger "Touch" before update on public.items for each row execute function public.f(); create policy own on public.items using (true);`;
    const comments = (word: string) => `${objects} comment on table public.items is '${word} items'; comment on column public.items.name is 'It''s the ${word} name';
      comment on view public.names is '${word}'; comment on function public.f() is '${word}'; comment on trigger "Touch" on public.items is '${word}'; comment on policy own on public.items is '${word}';`;
    await exact(objects, comments("first"));
    await exact(comments("first"), comments("second"));
    await exact(comments("first"), objects);
  });

  it("comments on a schema, a sequence, an index, a type, a constraint, a materialized view and a publication", async () => {
    const objects = `${TABLE} create schema app; create sequence public.tickets; create index items_name on public.items (name); create type public.mood as enum ('ok');
      alter table public.items add constraint items_price check (price > 0); create materialized view public.totals as select 1 as one; create publication pub_c;`;
    const comments = `${objects} comment on schema app is 'a'; comment on sequence public.tickets is 'b'; comment on index public.items_name is 'c'; comment on type public.mood is 'd';
      comment on constraint items_price on public.items is 'e'; comment on materialized view public.totals is 'f'; comment on publication pub_c is 'g';`;
    await exact(objects, comments);
    await exact(comments, objects);
  });
});
