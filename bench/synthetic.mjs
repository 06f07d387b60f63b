// The synthetic migration the benchmarks use: a table of 6-10 columns with an identity key,
// defaults and a CHECK, an index, a PL/pgSQL trigger function (dollar-quoted, with ; and quotes
// inside) and its trigger, RLS with two policies, a GRANT; every fifth table has a foreign key,
// every tenth inserts 100 rows. Needs the role bench_reader.
export function migrationSql(i) {
  const t = `bench_t${i}`;
  const extra = Array.from({ length: 3 + (i % 5) }, (_, k) => `  c${k} text default 'v${k}'`).join(",\n");
  const fk = i % 5 === 0 && i > 1 ? `,\n  parent_id bigint references bench_t${i - 1} (id)` : "";
  const rows = i % 10 === 0 ? `\ninsert into ${t} (name, amount) select 'row ' || g, g from generate_series(1, 100) g;\n` : "";
  return `create table ${t} (
  id bigint generated always as identity primary key,
  name text not null default 'unnamed',
  amount integer not null default 0 check (amount >= 0),
  created_at timestamptz not null default now(),
${extra}${fk}
);
create index ${t}_name_idx on ${t} (name);
create function ${t}_touch() returns trigger language plpgsql as $$
begin
  -- a semicolon; and 'quotes' inside the body
  new.name := coalesce(nullif(new.name, ''), 'it''s unnamed;');
  return new;
end;
$$;
create trigger ${t}_touch before insert or update on ${t} for each row execute function ${t}_touch();
alter table ${t} enable row level security;
create policy ${t}_read on ${t} for select using (true);
create policy ${t}_write on ${t} for insert with check (amount < 1000000);
grant select on ${t} to bench_reader;
${rows}`;
}

