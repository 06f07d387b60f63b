/**
 * The pgTAP functions Supabase projects' test files use most, written for dbkit (not pgTAP's code):
 * same names, arguments and TAP lines, so a `supabase/tests` folder runs unchanged. They live in
 * the `tests` schema, which `dbkit test` puts on each file's search_path. Which other pgTAP
 * functions exist is in core/test-failures.ts, to name an unsupported one in the error.
 */
export const PGTAP_SQL = `
create or replace function tests.plan(integer) returns text language plpgsql as $$
begin
  perform set_config('dbkit_test.plan', $1::text, true);
  return '1..' || $1;
end
$$;
create or replace function tests.no_plan() returns setof boolean language sql as $$ select true where false $$;

create or replace function tests.ok(boolean, text default null) returns text language sql as $$
  select tests._report(coalesce($1, false), $2, case when $1 is null then '#    found: NULL' || E'\\n# expected: true' end)
$$;
create or replace function tests.pass(text default null) returns text language sql as $$ select tests._report(true, $1) $$;
create or replace function tests.fail(text default null) returns text language sql as $$ select tests._report(false, $1) $$;
create or replace function tests.diag(text) returns text language sql as $$ select '# ' || $1 $$;

create or replace function tests."is"(anycompatible, anycompatible, text default null) returns text language plpgsql as $$
begin
  return tests._report($1 is not distinct from $2, $3, tests._diag($2::text, $1::text));
end
$$;
create or replace function tests.isnt(anycompatible, anycompatible, text default null) returns text language plpgsql as $$
begin
  return tests._report($1 is distinct from $2, $3, tests._diag('anything else', $1::text));
end
$$;

-- The rows of a query, each as its record text: (1,alice). A CTE, so that UPDATE ... RETURNING works too.
create or replace function tests._rows(query text) returns text[] language plpgsql as $$
declare
  found text[];
begin
  execute 'with r as (' || tests._query(query) || ') select coalesce(array_agg(r::text), ''{}'') from r' into found;
  return found;
end
$$;
-- The first column of each row of a query.
create or replace function tests._column(query text) returns text[] language plpgsql as $$
declare
  found text[];
begin
  execute 'with r(value) as (' || tests._query(query) || ') select coalesce(array_agg(r.value::text), ''{}'') from r' into found;
  return found;
end
$$;
create or replace function tests._elements(anyarray) returns text[] language sql immutable as $$
  select coalesce(array_agg(e::text), '{}') from unnest($1) e
$$;

-- Rows found against rows wanted (each as its record text, or a column's values), in order or as
-- sets: the one comparison results_eq, results_ne and set_eq make.
create or replace function tests._rows_compared(have text[], want text[], equal boolean, description text) returns text language sql as $$
  select tests._report((have = want) = equal, description,
    tests._diag(case when equal then '' else 'other rows than: ' end || array_to_string(want, ', '), array_to_string(have, ', ')))
$$;
create or replace function tests._sorted(text[]) returns text[] language sql immutable as $$
  select coalesce(array_agg(distinct e order by e), '{}') from unnest($1) e
$$;
create or replace function tests.results_eq(text, text, text default null) returns text language sql as $$
  select tests._rows_compared(tests._rows($1), tests._rows($2), true, $3)
$$;
create or replace function tests.results_eq(text, anyarray, text default null) returns text language sql as $$
  select tests._rows_compared(tests._column($1), tests._elements($2), true, $3)
$$;
create or replace function tests.results_ne(text, text, text default null) returns text language sql as $$
  select tests._rows_compared(tests._rows($1), tests._rows($2), false, $3)
$$;
create or replace function tests.results_ne(text, anyarray, text default null) returns text language sql as $$
  select tests._rows_compared(tests._column($1), tests._elements($2), false, $3)
$$;
create or replace function tests.set_eq(text, text, text default null) returns text language sql as $$
  select tests._rows_compared(tests._sorted(tests._rows($1)), tests._sorted(tests._rows($2)), true, $3)
$$;
create or replace function tests.set_eq(text, anyarray, text default null) returns text language sql as $$
  select tests._rows_compared(tests._sorted(tests._column($1)), tests._sorted(tests._elements($2)), true, $3)
$$;

-- The first row of a query (an INSERT ... RETURNING as well) against a row, compared as text as
-- pgTAP does: row_eq($$ select id from t $$, row(1)). No row is NULL.
create or replace function tests.row_eq(text, anyelement, text default null) returns text language plpgsql as $$
declare
  have record;
begin
  execute tests._query($1) into have;
  return tests._report(have::text is not distinct from $2::text, $3, tests._diag($2::text, have::text));
end
$$;

create or replace function tests.is_empty(text, text default null) returns text language plpgsql as $$
declare
  have text[] := tests._rows($1);
begin
  return tests._report(cardinality(have) = 0, $2, tests._diag('no rows', array_to_string(have, ', ')));
end
$$;
create or replace function tests.isnt_empty(text, text default null) returns text language plpgsql as $$
begin
  return tests._report(cardinality(tests._rows($1)) > 0, $2, tests._diag('some rows', 'no rows'));
end
$$;

create or replace function tests.lives_ok(text, text default null) returns text language plpgsql as $$
begin
  execute tests._query($1);
  return tests._report(true, $2);
exception when others then
  return tests._report(false, $2, tests._diag('no error', 'error ' || sqlstate || ': ' || sqlerrm));
end
$$;

create or replace function tests._throws(query text, code text, message text, description text) returns text language plpgsql as $$
declare
  expected text := coalesce(code, '') || case when code is not null and message is not null then ': ' else '' end || coalesce(message, case when code is null then 'an error' end, '');
begin
  execute tests._query(query);
  return tests._report(false, description, tests._diag(expected, 'no error'));
exception when others then
  return tests._report((code is null or sqlstate = code) and (message is null or sqlerrm = message), description,
    tests._diag(expected, sqlstate || ': ' || sqlerrm));
end
$$;
-- A second argument of five letters or digits is an SQLSTATE, else the expected message (as pgTAP).
create or replace function tests._is_code(text) returns boolean language sql immutable as $$ select $1 ~ '^[0-9A-Z]{5}$' $$;
create or replace function tests.throws_ok(text) returns text language sql as $$ select tests._throws($1, null, null, null) $$;
create or replace function tests.throws_ok(text, text) returns text language sql as $$
  select case when tests._is_code($2) then tests._throws($1, $2, null, null) else tests._throws($1, null, $2, null) end
$$;
create or replace function tests.throws_ok(text, integer) returns text language sql as $$ select tests._throws($1, $2::text, null, null) $$;
create or replace function tests.throws_ok(text, text, text) returns text language sql as $$
  select case when tests._is_code($2) then tests._throws($1, $2, $3, null) else tests._throws($1, null, $2, $3) end
$$;
create or replace function tests.throws_ok(text, text, text, text) returns text language sql as $$ select tests._throws($1, $2, $3, $4) $$;
create or replace function tests.throws_ok(text, integer, text, text) returns text language sql as $$ select tests._throws($1, $2::text, $3, $4) $$;

create or replace function tests.has_table(text, text, text) returns text language sql as $$
  select tests._report(to_regclass(quote_ident($1) || '.' || quote_ident($2)) is not null, coalesce($3, 'Table ' || $1 || '.' || $2 || ' should exist'),
    tests._diag('table ' || $1 || '.' || $2, 'no such table'))
$$;
create or replace function tests.has_table(text, text default null) returns text language sql as $$
  select tests._report(exists (select from pg_class c where c.relname = $1 and c.relkind in ('r', 'p') and pg_table_is_visible(c.oid)),
    coalesce($2, 'Table ' || $1 || ' should exist'), tests._diag('table ' || $1, 'no such table'))
$$;

create or replace function tests.finish(exception_on_failure boolean default null) returns setof text language plpgsql as $$
declare
  planned int := nullif(current_setting('dbkit_test.plan', true), '')::int;
  ran int := tests._counter('count');
begin
  if planned is not null and planned <> ran then
    perform set_config('dbkit_test.failed', (tests._counter('failed') + 1)::text, true);
    return next 'not ok - planned ' || planned || ' test(s) but ran ' || ran || E'\\n' || tests._diag(planned || ' test(s)', ran || ' test(s)');
  end if;
  if exception_on_failure and tests._counter('failed') > 0 then
    raise exception '% test(s) failed', tests._counter('failed');
  end if;
end
$$;
`;
