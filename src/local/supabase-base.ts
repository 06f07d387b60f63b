/**
 * The part of a Supabase database that migrations of Supabase projects rely on, for databases
 * that are not Supabase (the embedded default, verify's scratch database, a local Postgres):
 * the API roles, the auth, storage and extensions schemas, auth.users with the helpers that read
 * the request's JWT claims as Supabase's do, storage buckets and objects with their path
 * helpers, Supabase's default privileges in public, the supabase_realtime publication, and
 * Realtime's `messages` table with its `topic()` and `send()` helpers (Realtime Authorization's
 * policies are written on it).
 * Written from Supabase's public documentation of these objects; idempotent.
 */
export const SUPABASE_BASE_MARKER = "dbkit: Supabase base for local development";

/** Roles the platform has that migrations grant to or set as owners (Supabase's own list). */
export const PLATFORM_ROLES = [
  "supabase_admin",
  "supabase_auth_admin",
  "supabase_storage_admin",
  "supabase_functions_admin",
  "supabase_realtime_admin",
  "supabase_replication_admin",
  "supabase_read_only_user",
  "dashboard_user",
  "pgbouncer",
] as const;

/**
 * The base in parts: `auth` and `storage` are left out for a project that creates those schemas
 * itself (they are the project's then, not the platform's).
 */
export function supabaseBaseSql(projectSchemas: readonly string[]): string {
  return [
    ROLES_AND_EXTENSIONS,
    projectSchemas.includes("auth") ? "" : AUTH,
    projectSchemas.includes("auth") ? "" : AUTH_PLATFORM_TABLES_SQL,
    projectSchemas.includes("storage") ? "" : STORAGE,
    projectSchemas.includes("realtime") ? "" : SUPABASE_REALTIME_SQL,
    projectSchemas.includes("supabase_functions") ? "" : DATABASE_WEBHOOKS_SQL,
    PUBLIC_AND_REALTIME,
  ].join("\n");
}

const ROLE_DEFINITIONS: [string, string][] = [
  ["anon", "nologin noinherit"],
  ["authenticated", "nologin noinherit"],
  ["service_role", "nologin noinherit bypassrls"],
  ["authenticator", "nologin noinherit"],
  ...PLATFORM_ROLES.map((role): [string, string] => [role, "nologin"]),
];

// Roles belong to the whole server: two databases prepared at once may both find one missing, so
// the loser of that race takes the role the other created.
const ROLES_AND_EXTENSIONS = `
do $base$
begin
${ROLE_DEFINITIONS.map(([role, options]) => `  begin
    if not exists (select from pg_roles where rolname = '${role}') then create role ${role} ${options}; end if;
  exception when duplicate_object or unique_violation then null;
  end;`).join("\n")}
  -- A role made earlier by someone else (a scratch build's stand-in) gets the platform's attribute.
  if exists (select from pg_roles where rolname = 'service_role' and not rolbypassrls) then alter role service_role bypassrls; end if;
  -- Like the platform: unqualified names find what extensions installed (uuid_generate_v4()).
  execute format('alter database %I set search_path = "$user", public, extensions', current_database());
end
$base$;
do $base$
begin
  if not (pg_has_role('authenticator', 'anon', 'member') and pg_has_role('authenticator', 'authenticated', 'member') and pg_has_role('authenticator', 'service_role', 'member')) then
    grant anon, authenticated, service_role to authenticator;
  end if;
exception when unique_violation or internal_error then null; -- granted at the same moment by another database's base
end
$base$;

create schema if not exists extensions;
comment on schema extensions is '${SUPABASE_BASE_MARKER}';
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
`;

const AUTH = `
create schema if not exists auth;
comment on schema auth is '${SUPABASE_BASE_MARKER}';
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  instance_id uuid,
  id uuid not null primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text unique default null,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0,
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create index if not exists users_email_idx on auth.users (email);

-- The request's JWT claims, as PostgREST sets them: request.jwt.claims (JSON), or the older
-- request.jwt.claim.<name> settings.
create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
create or replace function auth.email() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
$$;
grant execute on function auth.jwt(), auth.uid(), auth.role(), auth.email() to anon, authenticated, service_role;
grant select on auth.users to service_role;
`;

const STORAGE = `
create schema if not exists storage;
grant usage on schema storage to anon, authenticated, service_role;
create table if not exists storage.buckets (
  id text not null primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[]
);
create table if not exists storage.objects (
  id uuid not null default gen_random_uuid() primary key,
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  user_metadata jsonb,
  version text,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  unique (bucket_id, name)
);
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;

create or replace function storage.foldername(name text) returns text[] language plpgsql immutable as $$
declare parts text[];
begin
  parts := string_to_array(name, '/');
  return parts[1:array_length(parts, 1) - 1];
end
$$;
create or replace function storage.filename(name text) returns text language plpgsql immutable as $$
declare parts text[];
begin
  parts := string_to_array(name, '/');
  return parts[array_length(parts, 1)];
end
$$;
create or replace function storage.extension(name text) returns text language plpgsql immutable as $$
declare file text;
begin
  file := storage.filename(name);
  return reverse(split_part(reverse(file), '.', 1));
end
$$;
grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text) to anon, authenticated, service_role;
`;

// Realtime Authorization: policies on realtime.messages decide who may receive and send on a
// topic (realtime.topic()); realtime.send() broadcasts from SQL. The platform partitions the table
// by day; one default partition here lets a trigger that sends run locally.
export const SUPABASE_REALTIME_SQL = `
create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role;
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
) partition by range (inserted_at);
create table if not exists realtime.messages_local partition of realtime.messages default;
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;
create or replace function realtime.topic() returns text language sql stable as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void language plpgsql as $$
begin
  insert into realtime.messages (payload, event, topic, private, extension) values (payload, event, topic, private, 'broadcast');
end
$$;
grant execute on function realtime.topic() to anon, authenticated, service_role;
grant execute on function realtime.send(jsonb, text, text, boolean) to authenticated, service_role;
`;

// Auth's own tables that pulled schemas and MFA policies name: \`supabase db pull\` writes
// \`revoke select on table "auth"."schema_migrations" from "postgres"\`, and Supabase's MFA guide
// checks auth.mfa_factors in policies. Their columns as Supabase Auth keeps them.
export const AUTH_PLATFORM_TABLES_SQL = `
create table if not exists auth.schema_migrations (version varchar(255) not null primary key);
do $base$
begin
  if to_regtype('auth.factor_type') is null then create type auth.factor_type as enum ('totp', 'webauthn', 'phone'); end if;
  if to_regtype('auth.factor_status') is null then create type auth.factor_status as enum ('unverified', 'verified'); end if;
end
$base$;
create table if not exists auth.mfa_factors (
  id uuid not null primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  friendly_name text,
  factor_type auth.factor_type not null,
  status auth.factor_status not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  secret text,
  phone text,
  last_challenged_at timestamptz unique
);
create index if not exists factor_id_created_at_idx on auth.mfa_factors (user_id, created_at);
`;

// Database Webhooks: the dashboard writes a trigger `execute function supabase_functions.http_request(url,
// method, headers, params, timeout)`, which the platform sends through pg_net and logs in
// supabase_functions.hooks. Here the call is checked and logged the same way (request_id null):
// no request leaves this machine, and a test can read the log to see that the webhook fired.
export const DATABASE_WEBHOOKS_SQL = `
create schema if not exists supabase_functions;
grant usage on schema supabase_functions to postgres, anon, authenticated, service_role;
create table if not exists supabase_functions.hooks (
  id bigserial primary key,
  hook_table_id integer not null,
  hook_name text not null,
  created_at timestamptz not null default now(),
  request_id bigint
);
comment on table supabase_functions.hooks is 'Supabase Functions Hooks: Audit trail for triggered hooks.';
create or replace function supabase_functions.http_request() returns trigger language plpgsql security definer set search_path = supabase_functions as $$
begin
  if tg_argv[0] is null or tg_argv[0] = 'null' then raise exception 'url argument is missing'; end if;
  if tg_argv[1] is null or tg_argv[1] = 'null' then raise exception 'method argument is missing'; end if;
  if tg_argv[1] not in ('GET', 'POST') then raise exception 'method argument % is invalid', tg_argv[1]; end if;
  insert into supabase_functions.hooks (hook_table_id, hook_name, request_id) values (tg_relid, tg_name, null);
  return new;
end
$$;
grant select on supabase_functions.hooks to postgres, service_role;
`;

const PUBLIC_AND_REALTIME = `
-- Supabase's privileges in public: the API roles reach every object; RLS decides which rows.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

do $base$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then create publication supabase_realtime; end if;
end
$base$;
`;
