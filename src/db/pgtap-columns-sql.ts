/**
 * pgTAP's column, function and policy assertions that Supabase's testing guide and projects' suites
 * use (has_column, col_is_pk, col_type_is, col_not_null, has_function, policies_are,
 * policy_roles_are, policy_cmd_is), written for dbkit like db/pgtap-schema-sql.ts, with pgTAP's
 * signatures: Postgres picks an overload by their types as it does for pgTAP's own.
 */
export const PGTAP_COLUMNS_SQL = `
-- tests._relation and tests._functions are db/pgtap-schema-sql.ts's, installed before these.
create or replace function tests._column(schema_name name, table_name name, column_name name) returns pg_attribute language sql stable as $$
  select a from pg_attribute a where a.attrelid = tests._relation(schema_name, table_name) and a.attname = column_name and a.attnum > 0 and not a.attisdropped
$$;
create or replace function tests._qualified(schema_name name, table_name name, column_name name default null) returns text language sql immutable as $$
  select coalesce(quote_ident(schema_name) || '.', '') || quote_ident(table_name) || coalesce('.' || quote_ident(column_name), '')
$$;

create or replace function tests.has_column(name, name, name, text) returns text language sql as $$
  select tests._report((tests._column($1, $2, $3)).attname is not null, $4, tests._diag('column ' || tests._qualified($1, $2, $3), 'no such column'))
$$;
create or replace function tests.has_column(name, name, text) returns text language sql as $$ select tests.has_column(null, $1, $2, $3) $$;
create or replace function tests.has_column(name, name) returns text language sql as $$
  select tests.has_column(null, $1, $2, 'Column ' || tests._qualified(null, $1, $2) || ' should exist')
$$;
create or replace function tests.hasnt_column(name, name, name, text) returns text language sql as $$
  select tests._report((tests._column($1, $2, $3)).attname is null, $4, tests._diag('no column ' || tests._qualified($1, $2, $3), 'the column exists'))
$$;
create or replace function tests.hasnt_column(name, name, text) returns text language sql as $$ select tests.hasnt_column(null, $1, $2, $3) $$;
create or replace function tests.hasnt_column(name, name) returns text language sql as $$
  select tests.hasnt_column(null, $1, $2, 'Column ' || tests._qualified(null, $1, $2) || ' should not exist')
$$;

-- NOT NULL as the catalog has it.
create or replace function tests.col_not_null(name, name, name, text) returns text language sql as $$
  select tests._report(coalesce((tests._column($1, $2, $3)).attnotnull, false), $4,
    tests._diag('NOT NULL', case when (tests._column($1, $2, $3)).attname is null then 'no such column' else 'nullable' end))
$$;
create or replace function tests.col_not_null(name, name, text) returns text language sql as $$ select tests.col_not_null(null, $1, $2, $3) $$;
create or replace function tests.col_not_null(name, name) returns text language sql as $$
  select tests.col_not_null(null, $1, $2, 'Column ' || tests._qualified(null, $1, $2) || ' should be NOT NULL')
$$;

-- The column's type as format_type names it; the expected type is named the same way first.
create or replace function tests._col_type_is(schema_name name, table_name name, column_name name, want text, description text) returns text language plpgsql as $$
declare
  col pg_attribute := tests._column(schema_name, table_name, column_name);
  modifier text := substring(want from '(\\([0-9, ]*\\))$');
  expected text := coalesce(format_type(to_regtype(want), null) || coalesce(modifier, ''), want);
  have text := case when col.attname is null then 'no such column' when modifier is null then format_type(col.atttypid, null) else format_type(col.atttypid, col.atttypmod) end;
begin
  return tests._report(have = expected, description, tests._diag(expected, have));
end
$$;
create or replace function tests.col_type_is(name, name, name, text, text) returns text language sql as $$ select tests._col_type_is($1, $2, $3, $4, $5) $$;
create or replace function tests.col_type_is(name, name, name, text) returns text language sql as $$
  select tests._col_type_is($1, $2, $3, $4, 'Column ' || tests._qualified($1, $2, $3) || ' should be type ' || $4)
$$;
create or replace function tests.col_type_is(name, name, text, text) returns text language sql as $$ select tests._col_type_is(null, $1, $2, $3, $4) $$;
create or replace function tests.col_type_is(name, name, text) returns text language sql as $$
  select tests._col_type_is(null, $1, $2, $3, 'Column ' || tests._qualified(null, $1, $2) || ' should be type ' || $3)
$$;

-- The primary key's columns, in key order.
create or replace function tests._col_is_pk(schema_name name, table_name name, want name[], description text) returns text language plpgsql as $$
declare
  have text[] := array(select a.attname::text from pg_constraint k cross join unnest(k.conkey) with ordinality u(attnum, i)
                         join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
                        where k.conrelid = tests._relation(schema_name, table_name) and k.contype = 'p' order by u.i);
begin
  return tests._report(have = want::text[], description, tests._diag(array_to_string(want, ', '), coalesce(nullif(array_to_string(have, ', '), ''), 'no primary key')));
end
$$;
create or replace function tests.col_is_pk(name, name, name[], text) returns text language sql as $$ select tests._col_is_pk($1, $2, $3, $4) $$;
create or replace function tests.col_is_pk(name, name, name, text) returns text language sql as $$ select tests._col_is_pk($1, $2, array[$3], $4) $$;
create or replace function tests.col_is_pk(name, name[], text) returns text language sql as $$ select tests._col_is_pk(null, $1, $2, $3) $$;
create or replace function tests.col_is_pk(name, name, text) returns text language sql as $$ select tests._col_is_pk(null, $1, array[$2], $3) $$;
create or replace function tests.col_is_pk(name, name[]) returns text language sql as $$
  select tests._col_is_pk(null, $1, $2, 'Columns ' || tests._qualified(null, $1) || '(' || array_to_string($2, ', ') || ') should be a primary key')
$$;
create or replace function tests.col_is_pk(name, name) returns text language sql as $$
  select tests._col_is_pk(null, $1, array[$2], 'Column ' || tests._qualified(null, $1, $2) || ' should be a primary key')
$$;

-- A function by name, and by argument types when they are given (NULL entries ignored).
create or replace function tests._has_function(schema_name name, function_name name, args name[], description text) returns text language sql as $$
  select tests._report(exists (select from tests._functions(schema_name, function_name, args)),
    coalesce(description, 'Function ' || coalesce(quote_ident(schema_name) || '.', '') || quote_ident(function_name) || '(' || coalesce(array_to_string(args, ', '), '') || ') should exist'),
    tests._diag('function ' || coalesce(quote_ident(schema_name) || '.', '') || quote_ident(function_name), 'no such function'))
$$;
create or replace function tests.has_function(name, name, name[], text) returns text language sql as $$ select tests._has_function($1, $2, $3, $4) $$;
create or replace function tests.has_function(name, name, name[]) returns text language sql as $$ select tests._has_function($1, $2, $3, null) $$;
create or replace function tests.has_function(name, name, text) returns text language sql as $$ select tests._has_function($1, $2, null, $3) $$;
create or replace function tests.has_function(name, name[], text) returns text language sql as $$ select tests._has_function(null, $1, $2, $3) $$;
create or replace function tests.has_function(name, name[]) returns text language sql as $$ select tests._has_function(null, $1, $2, null) $$;
create or replace function tests.has_function(name, text) returns text language sql as $$ select tests._has_function(null, $1, null, $2) $$;
create or replace function tests.has_function(name) returns text language sql as $$ select tests._has_function(null, $1, null, null) $$;

-- A table's row-level security policies by name, in any order.
create or replace function tests._policies_are(schema_name name, table_name name, want name[], description text) returns text language plpgsql as $$
declare
  have text[] := array(select p.polname::text from pg_policy p where p.polrelid = tests._relation(schema_name, table_name) order by 1);
  expected text[] := array(select distinct e::text from unnest(want) e where e is not null order by 1);
begin
  return tests._report(have = expected, description, tests._diag(coalesce(nullif(array_to_string(expected, ', '), ''), 'no policies'), coalesce(nullif(array_to_string(have, ', '), ''), 'no policies')));
end
$$;
create or replace function tests.policies_are(name, name, name[], text) returns text language sql as $$ select tests._policies_are($1, $2, $3, $4) $$;
create or replace function tests.policies_are(name, name, name[]) returns text language sql as $$
  select tests._policies_are($1, $2, $3, 'Table ' || tests._qualified($1, $2) || ' should have the correct policies')
$$;
create or replace function tests.policies_are(name, name[], text) returns text language sql as $$ select tests._policies_are(null, $1, $2, $3) $$;
create or replace function tests.policies_are(name, name[]) returns text language sql as $$
  select tests._policies_are(null, $1, $2, 'Table ' || tests._qualified(null, $1) || ' should have the correct policies')
$$;

-- The roles a policy applies to (public when it names none), in any order.
create or replace function tests._policy_roles_are(schema_name name, table_name name, policy_name name, want name[], description text) returns text language plpgsql as $$
declare
  have text[] := array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end from pg_policy p cross join unnest(p.polroles) r
                        where p.polrelid = tests._relation(schema_name, table_name) and p.polname = policy_name order by 1);
  expected text[] := array(select distinct e::text from unnest(want) e where e is not null order by 1);
begin
  return tests._report(have = expected, description, tests._diag(array_to_string(expected, ', '), coalesce(nullif(array_to_string(have, ', '), ''), 'no such policy')));
end
$$;
create or replace function tests.policy_roles_are(name, name, name, name[], text) returns text language sql as $$ select tests._policy_roles_are($1, $2, $3, $4, $5) $$;
create or replace function tests.policy_roles_are(name, name, name, name[]) returns text language sql as $$
  select tests._policy_roles_are($1, $2, $3, $4, 'Policy ' || quote_ident($3) || ' for table ' || tests._qualified($1, $2) || ' should have the correct roles')
$$;
create or replace function tests.policy_roles_are(name, name, name[], text) returns text language sql as $$ select tests._policy_roles_are(null, $1, $2, $3, $4) $$;
create or replace function tests.policy_roles_are(name, name, name[]) returns text language sql as $$
  select tests._policy_roles_are(null, $1, $2, $3, 'Policy ' || quote_ident($2) || ' for table ' || tests._qualified(null, $1) || ' should have the correct roles')
$$;

-- The command a policy is for: SELECT, INSERT, UPDATE, DELETE or ALL.
create or replace function tests._policy_cmd_is(schema_name name, table_name name, policy_name name, want text, description text) returns text language sql as $$
  select tests._report(coalesce(have = upper(want), false), description, tests._diag(upper(want), coalesce(have, 'no such policy')))
    from (select (select case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end
                    from pg_policy p where p.polrelid = tests._relation(schema_name, table_name) and p.polname = policy_name) as have) h
$$;
create or replace function tests.policy_cmd_is(name, name, name, text, text) returns text language sql as $$ select tests._policy_cmd_is($1, $2, $3, $4, $5) $$;
create or replace function tests.policy_cmd_is(name, name, name, text) returns text language sql as $$
  select tests._policy_cmd_is($1, $2, $3, $4, 'Policy ' || quote_ident($3) || ' for table ' || tests._qualified($1, $2) || ' should be a ' || upper($4) || ' policy')
$$;
create or replace function tests.policy_cmd_is(name, name, text, text) returns text language sql as $$ select tests._policy_cmd_is(null, $1, $2, $3, $4) $$;
create or replace function tests.policy_cmd_is(name, name, text) returns text language sql as $$
  select tests._policy_cmd_is(null, $1, $2, $3, 'Policy ' || quote_ident($2) || ' for table ' || tests._qualified(null, $1) || ' should be a ' || upper($3) || ' policy')
$$;
`;
