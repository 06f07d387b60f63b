-- Chat application schema: the 13 database functions.

-- 1. The role in the caller's JWT (user_metadata.role), for RLS policies.
create or replace function public.get_user_role()
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claims', true), '')::json -> 'user_metadata' ->> 'role',
    'user'
  )::text;
$$;

-- 2. A foreign key to auth.users in all but name: Supabase discourages cross-schema FKs.
create or replace function public.validate_user_id()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.user_id is not null and not exists (select 1 from auth.users where id = new.user_id) then
    raise exception 'user % does not exist', new.user_id
      using errcode = 'foreign_key_violation', hint = 'create the user in auth.users first';
  end if;
  return new;
end;
$$;

-- 3. Removes a user's data when the user is deleted from auth.users.
create or replace function public.handle_auth_user_deletion()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public."Chat" where user_id = old.id;
  delete from public."Document" where user_id = old.id;
  delete from public."Suggestion" where user_id = old.id;
  delete from public.usage_logs where user_id = old.id;
  delete from public.rate_limit_tracking where user_id = old.id;
  delete from public.github_repositories where user_id = old.id;
  update public.error_logs set resolved_by = null where resolved_by = old.id;
  update public.admin_config set updated_by = null where updated_by = old.id;
  return old;
end;
$$;

-- 4. The caller's usage over a period, with a breakdown per agent (RLS applies).
create or replace function public.get_current_user_usage_summary(
  p_start_date date default (current_date - 30),
  p_end_date date default current_date
)
returns table (
  total_calls bigint,
  total_input_tokens bigint,
  total_output_tokens bigint,
  total_tokens bigint,
  total_cost numeric,
  agent_breakdown jsonb
)
language sql
stable
security invoker
set search_path = ''
as $$
  with usage as (
    select * from public.usage_logs
    where user_id = auth.uid()
      and request_timestamp >= p_start_date
      and request_timestamp < p_end_date + 1
  )
  select
    count(*)::bigint,
    coalesce(sum(input_tokens), 0)::bigint,
    coalesce(sum(output_tokens), 0)::bigint,
    coalesce(sum(total_tokens), 0)::bigint,
    coalesce(sum(total_cost), 0)::numeric,
    coalesce(
      (select jsonb_object_agg(agent_type, jsonb_build_object('calls', calls, 'tokens', tokens, 'cost', cost))
         from (select agent_type, count(*) as calls, coalesce(sum(total_tokens), 0) as tokens, coalesce(sum(total_cost), 0) as cost
                 from usage group by agent_type) per_agent),
      '{}'::jsonb
    )
  from usage;
$$;

-- 5. Whether the caller is an admin.
create or replace function public.is_current_user_admin()
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  select public.get_user_role() = 'admin';
$$;

-- 6. Keeps admin_config.updated_at current.
create or replace function public.update_admin_config_timestamp()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- 7. Keeps model_config.updated_at current.
create or replace function public.update_model_config_timestamp()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- 8. One default model per provider: a new default unsets the others; the last one stays.
create or replace function public.ensure_single_default_model_per_provider()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_default then
    update public.model_config
       set is_default = false
     where provider = new.provider and id <> new.id and is_default;
  elsif tg_op = 'UPDATE' and old.is_default and not exists (
    select 1 from public.model_config where provider = new.provider and id <> new.id and is_default
  ) then
    raise exception 'provider % needs a default model', new.provider
      using hint = 'make another model the default first';
  end if;
  return new;
end;
$$;

-- 9. Agent configurations must have the fields the application reads.
create or replace function public.validate_admin_config_data()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  agent text := substring(new.config_key from '^(.*)_(google|openai|anthropic)$');
begin
  if agent is null then
    return new; -- app_settings, logging_settings and other plain settings
  end if;
  if not (new.config_data ? 'enabled' and new.config_data ? 'rateLimit') then
    raise exception 'config % must have "enabled" and "rateLimit"', new.config_key;
  end if;
  if not (new.config_data -> 'rateLimit' ?& array['perMinute', 'perHour', 'perDay']) then
    raise exception 'config %: rateLimit must have perMinute, perHour and perDay', new.config_key;
  end if;
  if agent in ('provider_tools_agent', 'document_agent', 'python_agent', 'mermaid_agent', 'git_mcp_agent', 'chat_model_agent')
     and not new.config_data ? 'tools' then
    raise exception 'config % must have "tools"', new.config_key;
  end if;
  if agent = 'provider_tools_agent' and not new.config_data ? 'systemPrompt' then
    raise exception 'config % must have "systemPrompt"', new.config_key;
  end if;
  if agent = 'chat_model_agent' and not new.config_data ? 'capabilities' then
    raise exception 'config % must have "capabilities"', new.config_key;
  end if;
  return new;
end;
$$;

-- 10. The logging configuration, with defaults when none is stored.
create or replace function public.get_logging_config()
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select config_data from public.admin_config where config_key = 'logging_settings'),
    jsonb_build_object(
      'error_logging_enabled', true,
      'user_activity_logging_enabled', false,
      'agent_activity_logging_enabled', false,
      'log_retention_days', jsonb_build_object('error_logs', 90, 'user_activity_logs', 30, 'agent_activity_logs', 7)
    )
  );
$$;

-- 11. Whether user activity is logged.
create or replace function public.is_user_activity_logging_enabled()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((public.get_logging_config() ->> 'user_activity_logging_enabled')::boolean, false);
$$;

-- 12. Whether agent activity is logged.
create or replace function public.is_agent_activity_logging_enabled()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((public.get_logging_config() ->> 'agent_activity_logging_enabled')::boolean, false);
$$;

-- 13. Deletes logs older than the retention periods in logging_settings.
create or replace function public.purge_old_activity_logs()
returns table (user_logs_deleted bigint, agent_logs_deleted bigint, error_logs_deleted bigint)
language plpgsql
security definer
set search_path = ''
as $$
declare
  retention jsonb := public.get_logging_config() -> 'log_retention_days';
begin
  delete from public.user_activity_logs
   where created_at < now() - make_interval(days => coalesce((retention ->> 'user_activity_logs')::int, 30));
  get diagnostics user_logs_deleted = row_count;
  delete from public.agent_activity_logs
   where created_at < now() - make_interval(days => coalesce((retention ->> 'agent_activity_logs')::int, 7));
  get diagnostics agent_logs_deleted = row_count;
  delete from public.error_logs
   where resolved and created_at < now() - make_interval(days => coalesce((retention ->> 'error_logs')::int, 90));
  get diagnostics error_logs_deleted = row_count;
  return next;
end;
$$;

-- SECURITY DEFINER functions run with their owner's rights: only the roles that need them may
-- call them (Supabase grants every new function to the API roles by default).
revoke execute on function public.validate_user_id() from public, anon, authenticated;
revoke execute on function public.handle_auth_user_deletion() from public, anon, authenticated;
revoke execute on function public.get_logging_config() from public, anon;
revoke execute on function public.is_user_activity_logging_enabled() from public, anon;
revoke execute on function public.is_agent_activity_logging_enabled() from public, anon;
revoke execute on function public.purge_old_activity_logs() from public, anon, authenticated;
