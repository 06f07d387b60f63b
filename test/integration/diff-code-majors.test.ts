/**
 * The code and security kinds' round trip on Debian's Postgres 15 (a server dbkit did not start or
 * build): both states built there, the plan applied there, compared by verify's comparer. Skipped
 * where Debian's Postgres 15 is not installed.
 */
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { diffRoundTrip } from "../support/diff-round-trip.js";
import { hasPg15, startPg15 } from "../support/pg15.js";


const BASE = `
create schema dbkit; create table dbkit.migrations (version text);
create schema reports;
create table public.items (id bigint not null, owner text, name text, price int);
create table reports.totals (day date, total int);
create function public.uid() returns text language sql stable as $$ select current_user::text $$;
create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
create function public.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;
`;
const FROM = `${BASE}
create view public.names as select id, name from public.items;
create view public.short_names as select id from public.names;
create function public.price_of(p bigint) returns integer language sql stable as $$ select price from public.items where id = p $$;
create trigger items_touch before update on public.items for each row execute function public.touch();
create rule items_keep as on delete to public.items do instead nothing;
alter table public.items enable row level security;
create policy own on public.items for select to anon using (owner = public.uid());
grant select (id, name) on public.items to anon;
alter default privileges in schema public grant select on tables to authenticated;
create publication app_changes for table public.items (id, name) where (id > 0);
comment on table public.items is 'Things';
revoke execute on function public.uid() from public;
`;
const TO = `${BASE}
create view public.names with (security_invoker = true) as select id, name, price from public.items;
create view public.short_names as select id from public.names;
create function public.price_of(p bigint) returns bigint language sql stable security definer set search_path = '' as $$ select price::bigint from public.items where id = p $$;
revoke execute on function public.price_of(bigint) from public;
grant execute on function public.price_of(bigint) to authenticated;
create trigger items_touch after update on public.items for each row execute function public.touch();
alter table public.items disable trigger items_touch;
create rule items_keep as on update to public.items do instead nothing;
alter table public.items enable row level security;
alter table public.items force row level security;
create policy own on public.items for all to anon, authenticated using (owner = public.uid()) with check (owner = public.uid());
grant select (id, name, price), update (name) on public.items to anon;
grant select on public.items to authenticated;
alter default privileges in schema public grant select, insert on tables to authenticated;
create publication app_changes for table public.items (id, name, price) where (id > 10) with (publish = 'insert, update');
create publication app_reports for tables in schema reports;
create event trigger dbkit_dc15_ddl on ddl_command_end when tag in ('CREATE TABLE') execute function public.on_ddl();
comment on table public.items is 'Things for sale';
comment on view public.names is 'Names';
`;

describe.skipIf(!hasPg15)("diff round trip of the code kinds on Debian's Postgres 15 (skipped where it is not installed)", () => {
  it("creates, alters and drops views, functions, triggers, rules, RLS, policies, grants (PUBLIC's EXECUTE revoked alone too), publications, event triggers and comments there", async () => {
    const server = await startPg15("diff-code");
    const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
    await admin.unsafe("create role anon; create role authenticated;");
    await admin.end();
    for (const [from, to] of [[BASE, FROM], [FROM, TO], [TO, FROM], [TO, BASE]] as const) {
      const trip = await diffRoundTrip(from, to, { serverUrl: server.url() });
      expect(trip.plan.unsupported, trip.sql).toEqual([]);
      expect(trip.differences, trip.sql).toEqual([]);
    }
  });
});
