/**
 * The `tests` schema `dbkit test` installs in the database it tests (a scratch database, or inside
 * the rolled-back transaction on --url): acting as users the way PostgREST does for a request
 * (the role plus request.jwt.claims, which auth.uid() reads), and dbkit's own assertions. Each
 * assertion returns one TAP line ("ok 3 - ..." / "not ok 3 - ..." plus "# found:" and
 * "# expected:" lines), numbered through transaction-local settings so that any role may count.
 * Names follow the basejump supabase_test_helpers many Supabase projects already call.
 */
export const TEST_HELPERS_SQL = `
create schema if not exists tests;
grant usage on schema tests to public;

create or replace function tests._counter(name text) returns int language sql stable as $$
  select coalesce(nullif(current_setting('dbkit_test.' || name, true), ''), '0')::int
$$;

create or replace function tests._diag(expected text, found text) returns text language sql immutable as $$
  select '#    found: ' || coalesce(found, 'NULL') || E'\\n# expected: ' || coalesce(expected, 'NULL')
$$;

create or replace function tests._report(passed boolean, description text, diagnostics text default null) returns text language plpgsql as $$
declare
  n int := tests._counter('count') + 1;
begin
  perform set_config('dbkit_test.count', n::text, true);
  if passed then
    return 'ok ' || n || coalesce(' - ' || nullif(description, ''), '');
  end if;
  perform set_config('dbkit_test.failed', (tests._counter('failed') + 1)::text, true);
  return 'not ok ' || n || coalesce(' - ' || nullif(description, ''), '') || coalesce(E'\\n' || diagnostics, '');
end
$$;

-- A query given as text, without the semicolon a test writer may leave at its end.
create or replace function tests._query(query text) returns text language sql immutable as $$
  select regexp_replace(query, ';\\s*$', '')
$$;

create or replace function tests._writes(statement text) returns boolean language sql immutable as $$
  select statement ~* '^\\s*(with\\M.*\\m(insert|update|delete|merge)\\M|insert|update|delete|merge)'
$$;

-- Users: made and looked up as the owner (auth.users is not readable by the API roles).
create or replace function tests.create_user(name text, email text default null, phone text default null, metadata jsonb default null) returns uuid
language plpgsql security definer as $$
declare
  user_id uuid := gen_random_uuid();
begin
  insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
  values (user_id, 'authenticated', 'authenticated', coalesce(email, name || '@test.com'), phone,
          jsonb_build_object('test_identifier', name) || coalesce(metadata, '{}'::jsonb),
          '{"provider": "email", "providers": ["email"]}'::jsonb, now(), now());
  return user_id;
end
$$;

create or replace function tests.create_supabase_user(identifier text, email text default null, phone text default null, metadata jsonb default null) returns uuid
language sql as $$ select tests.create_user(identifier, email, phone, metadata) $$;

create or replace function tests.get_supabase_user(identifier text) returns json language plpgsql security definer as $$
declare
  found json;
begin
  select json_build_object('id', id, 'email', email, 'phone', phone, 'raw_user_meta_data', raw_user_meta_data, 'raw_app_meta_data', raw_app_meta_data)
    into found from auth.users where raw_user_meta_data ->> 'test_identifier' = identifier limit 1;
  if found is null then
    raise exception 'no test user named %: create it first with tests.create_user(%)', quote_literal(identifier), quote_literal(identifier);
  end if;
  return found;
end
$$;

create or replace function tests.get_supabase_uid(identifier text) returns uuid language sql as $$
  select (tests.get_supabase_user(identifier) ->> 'id')::uuid
$$;
create or replace function tests.get_user_id(name text) returns uuid language sql as $$ select tests.get_supabase_uid(name) $$;

-- Acting as someone: the role and the JWT claims PostgREST would set, until the transaction ends.
create or replace function tests.authenticate_as(name text) returns void language plpgsql as $$
declare
  u json := tests.get_supabase_user(name);
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', json_build_object(
    'sub', u ->> 'id', 'role', 'authenticated', 'aud', 'authenticated', 'email', u ->> 'email', 'phone', u ->> 'phone',
    'user_metadata', u -> 'raw_user_meta_data', 'app_metadata', u -> 'raw_app_meta_data')::text, true);
end
$$;

create or replace function tests.authenticate_as_anon() returns void language plpgsql as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role": "anon"}', true);
end
$$;

create or replace function tests.authenticate_as_service_role() returns void language plpgsql as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
end
$$;

-- As basejump's: no user, so the role PostgREST gives a request without a token (anon). RESET ROLE
-- goes back to the owner.
create or replace function tests.clear_authentication() returns void language plpgsql as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;

-- basejump: now() returns a fixed time, for the rest of the transaction or until unfreeze_time().
-- A test_overrides.now() ahead of pg_catalog on the search_path: calls of now() made while frozen
-- (in triggers, functions, queries) see it; column defaults, bound to pg_catalog.now(), do not.
create or replace function tests.freeze_time(frozen_time timestamptz) returns void language plpgsql security definer as $$
begin
  create schema if not exists test_overrides;
  grant usage on schema test_overrides to public;
  execute format('create or replace function test_overrides.now() returns timestamptz language sql stable as %L', format('select %L::timestamptz', frozen_time));
  grant execute on function test_overrides.now() to public;
  if nullif(current_setting('dbkit_test.unfrozen_search_path', true), '') is null then
    perform set_config('dbkit_test.unfrozen_search_path', current_setting('search_path'), true);
  end if;
  perform set_config('search_path', 'test_overrides, pg_catalog, ' || current_setting('dbkit_test.unfrozen_search_path'), true);
end
$$;

create or replace function tests.unfreeze_time() returns void language plpgsql as $$
declare
  unfrozen text := nullif(current_setting('dbkit_test.unfrozen_search_path', true), '');
begin
  if unfrozen is not null then
    perform set_config('search_path', unfrozen, true);
    perform set_config('dbkit_test.unfrozen_search_path', '', true);
  end if;
end
$$;

-- Assertions, run as whoever the test acts as now.
create or replace function tests.rows_visible(query text, expected bigint, description text default null) returns text language plpgsql as $$
declare
  n bigint;
begin
  execute 'with visible as (' || tests._query(query) || ') select count(*) from visible' into n;
  return tests._report(n = expected, coalesce(description, query), tests._diag(expected || ' row(s)', n || ' row(s)'));
exception when others then
  return tests._report(false, coalesce(description, query), tests._diag(expected || ' row(s)', 'error ' || sqlstate || ': ' || sqlerrm));
end
$$;

create or replace function tests.allowed(statement text, description text default null) returns text language plpgsql as $$
declare
  n bigint;
begin
  execute tests._query(statement);
  get diagnostics n = row_count;
  if tests._writes(statement) and n = 0 then
    return tests._report(false, coalesce(description, statement), tests._diag('allowed', 'no row affected: row-level security hid every row'));
  end if;
  return tests._report(true, coalesce(description, statement));
exception when others then
  return tests._report(false, coalesce(description, statement), tests._diag('allowed', 'error ' || sqlstate || ': ' || sqlerrm));
end
$$;

-- Denied by 'rls' (a policy refused or hid the rows) or 'grant' (no privilege), or either (null).
-- The statement's effects are always undone, so a wrongly allowed write does not change later checks.
create or replace function tests.denied(statement text, reason text default null, description text default null) returns text language plpgsql as $$
declare
  n bigint;
  how text;
  found text;
begin
  if reason is not null and reason not in ('rls', 'grant') then
    raise exception 'tests.denied: reason must be rls, grant or null, not %', quote_literal(reason);
  end if;
  begin
    execute tests._query(statement);
    get diagnostics n = row_count;
    raise exception using errcode = 'P0D01', message = n::text;
  exception
    when insufficient_privilege then
      how := case when sqlerrm ~ 'row-level security' then 'rls' else 'grant' end;
      found := 'denied by ' || how || ': ' || sqlerrm;
    when sqlstate 'P0D01' then
      n := sqlerrm::bigint;
      if n = 0 then
        how := 'rls';
        found := 'denied by rls: no row visible or affected';
      else
        found := 'allowed: ' || n || ' row(s)';
      end if;
  end;
  return tests._report(how is not null and (reason is null or reason = how), coalesce(description, statement),
    tests._diag('denied' || coalesce(' by ' || reason, ''), found));
end
$$;

-- basejump: every table of a schema (or one table) has row-level security enabled.
create or replace function tests.rls_enabled(testing_schema text) returns text language plpgsql as $$
declare
  missing text;
begin
  select string_agg(c.relname, ', ' order by c.relname) into missing from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = testing_schema and c.relkind in ('r', 'p') and not c.relrowsecurity;
  return tests._report(missing is null, 'all tables in ' || testing_schema || ' have RLS enabled', tests._diag('RLS on every table', 'without RLS: ' || missing));
end
$$;

create or replace function tests.rls_enabled(testing_schema text, testing_table text) returns text language plpgsql as $$
declare
  enabled boolean;
begin
  select c.relrowsecurity into enabled from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = testing_schema and c.relname = testing_table;
  return tests._report(coalesce(enabled, false), testing_schema || '.' || testing_table || ' has RLS enabled',
    tests._diag('RLS enabled', case when enabled is null then 'no such table' else 'RLS disabled' end));
end
$$;
`;
