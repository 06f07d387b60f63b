/**
 * pgTAP's schema assertions that Supabase projects' test files use (basejump's among them),
 * written for dbkit like db/pgtap-sql.ts. The signatures are pgTAP's, `name` and `text` where it
 * has them: Postgres picks an overload by those types when every argument is a quoted literal, so
 * `function_returns('f', 'text', 'description')` means a function, its type and a description
 * here as it does with pgTAP.
 */
export const PGTAP_SCHEMA_SQL = `
create or replace function tests.has_schema(name, text) returns text language sql as $$
  select tests._report(exists (select from pg_namespace where nspname = $1), $2, tests._diag('schema ' || $1, 'no such schema'))
$$;
create or replace function tests.has_schema(name) returns text language sql as $$
  select tests.has_schema($1, 'Schema ' || quote_ident($1) || ' should exist')
$$;

-- The relation a schema-qualified or visible name means (tables, views and the kinds pgTAP accepts).
create or replace function tests._relation(schema_name name, table_name name) returns oid language sql stable as $$
  select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relname = table_name and (n.nspname = schema_name or (schema_name is null and pg_table_is_visible(c.oid)))
   order by n.nspname = 'pg_catalog' limit 1
$$;

-- A table's columns (of any relation kind pgTAP accepts) against a list, in any order.
create or replace function tests._columns_are(schema_name name, table_name name, expected name[], description text) returns text language plpgsql as $$
declare
  have text[];
  want text[] := array(select distinct e::text from unnest(expected) e where e is not null order by 1);
begin
  select array(select a.attname::text from pg_attribute a
                where a.attrelid = tests._relation(schema_name, table_name) and a.attnum > 0 and not a.attisdropped order by 1)
    into have;
  return tests._report(have = want, description, tests._diag(array_to_string(want, ', '), coalesce(nullif(array_to_string(have, ', '), ''), 'no such table')));
end
$$;
create or replace function tests.columns_are(name, name, name[], text) returns text language sql as $$ select tests._columns_are($1, $2, $3, $4) $$;
create or replace function tests.columns_are(name, name, name[]) returns text language sql as $$
  select tests._columns_are($1, $2, $3, 'Table ' || quote_ident($1) || '.' || quote_ident($2) || ' should have the correct columns')
$$;
create or replace function tests.columns_are(name, name[], text) returns text language sql as $$ select tests._columns_are(null, $1, $2, $3) $$;
create or replace function tests.columns_are(name, name[]) returns text language sql as $$
  select tests._columns_are(null, $1, $2, 'Table ' || quote_ident($1) || ' should have the correct columns')
$$;

-- A function's return type ("setof x" for a set): any overload when no argument types are given.
-- Types are compared as Postgres names them, so 'int4' and 'integer' are the same.
create or replace function tests._type_name(text) returns text language sql stable as $$
  select case when $1 ~* '^setof\\s' then 'setof ' || coalesce(to_regtype(regexp_replace($1, '^setof\\s+', '', 'i'))::text, $1)
              else coalesce(to_regtype($1)::text, $1) end
$$;
-- The functions a schema-qualified or visible name means; with argument types, the overload of those.
create or replace function tests._functions(schema_name name, function_name name, args name[]) returns setof oid language sql stable as $$
  select p.oid from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where p.proname = function_name and (n.nspname = schema_name or (schema_name is null and pg_function_is_visible(p.oid)))
     and (args is null or array(select t::regtype::text from unnest(p.proargtypes::oid[]) with ordinality u(t, i) order by i)
                          = array(select tests._type_name(a) from unnest(args) with ordinality u(a, i) where a is not null order by i))
$$;
create or replace function tests._function_returns(schema_name name, function_name name, args name[], want text, description text) returns text language plpgsql as $$
declare
  found text[];
  expected text := tests._type_name(want);
begin
  select array(select case when p.proretset then 'setof ' else '' end || p.prorettype::regtype::text
                 from pg_proc p where p.oid in (select tests._functions(schema_name, function_name, args)))
    into found;
  return tests._report(expected = any (found), coalesce(description,
      'Function ' || coalesce(quote_ident(schema_name) || '.', '') || quote_ident(function_name) || '(' || coalesce(array_to_string(args, ', '), '') || ') should return ' || want),
    tests._diag(expected, coalesce(nullif(array_to_string(found, ', '), ''), 'no such function')));
end
$$;
create or replace function tests.function_returns(name, name, name[], text, text) returns text language sql as $$ select tests._function_returns($1, $2, $3, $4, $5) $$;
create or replace function tests.function_returns(name, name, name[], text) returns text language sql as $$ select tests._function_returns($1, $2, $3, $4, null) $$;
create or replace function tests.function_returns(name, name, text, text) returns text language sql as $$ select tests._function_returns($1, $2, null, $3, $4) $$;
create or replace function tests.function_returns(name, name, text) returns text language sql as $$ select tests._function_returns($1, $2, null, $3, null) $$;
create or replace function tests.function_returns(name, name[], text, text) returns text language sql as $$ select tests._function_returns(null, $1, $2, $3, $4) $$;
create or replace function tests.function_returns(name, name[], text) returns text language sql as $$ select tests._function_returns(null, $1, $2, $3, null) $$;
create or replace function tests.function_returns(name, text, text) returns text language sql as $$ select tests._function_returns(null, $1, null, $2, $3) $$;
create or replace function tests.function_returns(name, text) returns text language sql as $$ select tests._function_returns(null, $1, null, $2, null) $$;

-- The privileges a role holds on a schema (CREATE, USAGE), as has_schema_privilege sees them,
-- against a list; NULL entries are ignored, so array[null] means none, as with pgTAP.
create or replace function tests.schema_privs_are(name, name, name[], text) returns text language plpgsql as $$
declare
  have text[];
  want text[] := array(select distinct upper(e::text) from unnest($3) e where e is not null order by 1);
begin
  if not exists (select from pg_namespace where nspname = $1) or not exists (select from pg_roles where rolname = $2) then
    return tests._report(false, $4, tests._diag(array_to_string(want, ', '), case when exists (select from pg_roles where rolname = $2) then 'no such schema' else 'no such role' end));
  end if;
  have := array(select p from unnest(array['CREATE', 'USAGE']) p where has_schema_privilege($2, $1, p) order by 1);
  return tests._report(have = want, $4, tests._diag(coalesce(nullif(array_to_string(want, ', '), ''), 'no privileges'), coalesce(nullif(array_to_string(have, ', '), ''), 'no privileges')));
end
$$;
create or replace function tests.schema_privs_are(name, name, name[]) returns text language sql as $$
  select tests.schema_privs_are($1, $2, $3, 'Role ' || quote_ident($2) || ' should be granted ' || coalesce(nullif(array_to_string($3, ', '), ''), 'no privileges') || ' on schema ' || quote_ident($1))
$$;
`;
