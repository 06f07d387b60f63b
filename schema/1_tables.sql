-- Chat application schema: tables. Users live in Supabase Auth (auth.users); cross-schema
-- references are checked by triggers (0004_triggers.sql) rather than foreign keys.

-- Core tables
create table public."Chat" (
  id uuid primary key default gen_random_uuid(),
  "createdAt" timestamp not null default now(),
  title text not null,
  user_id uuid not null,
  visibility varchar(10) not null default 'private' check (visibility in ('public', 'private')),
  "lastContext" jsonb,
  total_input_tokens integer default 0,
  total_output_tokens integer default 0,
  total_cost decimal(10, 6) default 0,
  updated_at timestamp default now()
);

create table public."Message_v2" (
  id uuid primary key default gen_random_uuid(),
  "chatId" uuid not null references public."Chat" (id) on delete cascade,
  role varchar(20) not null check (role in ('user', 'assistant', 'system')),
  parts json not null,
  attachments json not null default '[]',
  "createdAt" timestamp not null default now(),
  model_used varchar(100),
  input_tokens integer,
  output_tokens integer,
  cost decimal(10, 6)
);

create table public."Vote_v2" (
  "chatId" uuid not null references public."Chat" (id) on delete cascade,
  "messageId" uuid not null references public."Message_v2" (id) on delete cascade,
  "isUpvoted" boolean not null,
  primary key ("chatId", "messageId")
);

create table public."Document" (
  id uuid not null default gen_random_uuid(),
  "createdAt" timestamp not null default now(),
  title text not null,
  content text,
  kind varchar(20) not null default 'text' check (kind in ('text', 'python code', 'mermaid code', 'sheet')),
  user_id uuid not null,
  chat_id uuid references public."Chat" (id) on delete cascade,
  parent_version_id uuid,
  version_number integer not null default 1,
  metadata jsonb default '{}',
  primary key (id, "createdAt")
);

create table public."Suggestion" (
  id uuid primary key default gen_random_uuid(),
  "documentId" uuid not null,
  "documentCreatedAt" timestamp not null,
  "originalText" text not null,
  "suggestedText" text not null,
  description text,
  "isResolved" boolean not null default false,
  user_id uuid not null,
  "createdAt" timestamp not null default now(),
  foreign key ("documentId", "documentCreatedAt") references public."Document" (id, "createdAt") on delete cascade
);

create table public."Stream" (
  id uuid primary key default gen_random_uuid(),
  "chatId" uuid not null references public."Chat" (id) on delete cascade,
  "createdAt" timestamp not null default now()
);

-- Admin and analytics tables
create table public.admin_config (
  id uuid primary key default gen_random_uuid(),
  config_key varchar(100) not null unique,
  config_data jsonb not null,
  updated_by uuid,
  updated_at timestamp default now(),
  created_at timestamp default now()
);

create table public.model_config (
  id uuid primary key default gen_random_uuid(),
  model_id varchar(100) not null unique,
  name varchar(200) not null,
  description text,
  provider varchar(50) not null check (provider in ('google', 'openai', 'anthropic')),
  is_active boolean default true,
  is_default boolean default false,
  thinking_enabled boolean default true,
  input_pricing_per_million_tokens decimal(10, 4) not null,
  output_pricing_per_million_tokens decimal(10, 4) not null,
  metadata jsonb default '{}',
  created_at timestamp default now(),
  updated_at timestamp default now()
);

create table public.usage_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  chat_id uuid references public."Chat" (id) on delete set null,
  agent_type varchar(50) not null,
  model_used varchar(100),
  provider varchar(50),
  input_tokens integer,
  output_tokens integer,
  total_tokens integer,
  input_cost decimal(10, 6),
  output_cost decimal(10, 6),
  total_cost decimal(10, 6),
  request_timestamp timestamp default now(),
  response_timestamp timestamp,
  duration_ms integer,
  metadata jsonb
);

create table public.rate_limit_tracking (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  agent_type varchar(50) not null,
  period_start timestamp not null,
  period_end timestamp not null,
  request_count integer default 0,
  limit_type varchar(20) not null check (limit_type in ('hourly', 'daily')),
  limit_value integer not null,
  created_at timestamp default now()
);

create table public.github_repositories (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  repo_owner varchar(100) not null,
  repo_name varchar(100) not null,
  repo_url text,
  default_branch varchar(100) default 'main',
  is_active boolean default true,
  last_accessed timestamp,
  created_at timestamp default now()
);

create table public.error_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid,
  error_type varchar(50) not null check (error_type in ('auth', 'api', 'admin', 'app', 'user', 'permission', 'system')),
  error_category varchar(100) not null,
  error_message text not null,
  error_details jsonb,
  request_path varchar(500),
  request_method varchar(10),
  user_agent text,
  ip_address varchar(45),
  session_id varchar(100),
  severity varchar(20) not null default 'error' check (severity in ('info', 'warning', 'error', 'critical')),
  resolved boolean default false,
  resolved_by uuid,
  resolved_at timestamp,
  resolution_notes text,
  created_at timestamp default now()
);

-- Activity logging tables
create table public.user_activity_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  correlation_id uuid not null,
  activity_type varchar(50) not null,
  activity_category varchar(50) not null,
  activity_metadata jsonb default '{}',
  resource_id uuid,
  resource_type varchar(50),
  ip_address varchar(45),
  user_agent text,
  request_path varchar(500),
  request_method varchar(10),
  session_id varchar(100),
  success boolean default true,
  error_message text,
  created_at timestamp default now()
);

create table public.agent_activity_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid,
  correlation_id uuid not null,
  agent_type varchar(50) not null,
  operation_type varchar(50) not null,
  operation_category varchar(50) not null,
  operation_metadata jsonb default '{}',
  resource_id uuid,
  resource_type varchar(50),
  duration_ms integer,
  start_time timestamp,
  end_time timestamp,
  model_id varchar(100),
  provider varchar(50),
  thinking_mode boolean default false,
  input_tokens integer,
  output_tokens integer,
  reasoning_tokens integer,
  total_tokens integer,
  input_cost decimal(10, 6),
  output_cost decimal(10, 6),
  total_cost decimal(10, 6),
  success boolean default true,
  error_type varchar(100),
  error_message text,
  retry_count integer default 0,
  created_at timestamp default now()
);
