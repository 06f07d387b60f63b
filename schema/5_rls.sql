-- Chat application schema: row level security on every table, and its policies.
-- auth.uid() is the caller's user id; public.get_user_role() reads the role in their JWT.

alter table public."Chat" enable row level security;
alter table public."Message_v2" enable row level security;
alter table public."Vote_v2" enable row level security;
alter table public."Document" enable row level security;
alter table public."Suggestion" enable row level security;
alter table public."Stream" enable row level security;
alter table public.admin_config enable row level security;
alter table public.model_config enable row level security;
alter table public.usage_logs enable row level security;
alter table public.rate_limit_tracking enable row level security;
alter table public.github_repositories enable row level security;
alter table public.error_logs enable row level security;
alter table public.user_activity_logs enable row level security;
alter table public.agent_activity_logs enable row level security;

-- Chat
create policy "Users can read own chats" on public."Chat" for select to authenticated using (auth.uid() = user_id);
create policy "Users can create own chats" on public."Chat" for insert to authenticated with check (auth.uid() = user_id);
create policy "Users can update own chats" on public."Chat" for update to authenticated using (auth.uid() = user_id);
create policy "Users can delete own chats" on public."Chat" for delete to authenticated using (auth.uid() = user_id);
create policy "Admins can read all chats" on public."Chat" for select to authenticated using (public.get_user_role() = 'admin');

-- Message_v2
create policy "Users can read own messages" on public."Message_v2" for select to authenticated
  using (exists (select 1 from public."Chat" c where c.id = "chatId" and c.user_id = auth.uid()));
create policy "Users can create messages in own chats" on public."Message_v2" for insert to authenticated
  with check (exists (select 1 from public."Chat" c where c.id = "chatId" and c.user_id = auth.uid()));

-- Vote_v2
create policy "Users can vote on messages in own chats" on public."Vote_v2" for all to authenticated
  using (exists (select 1 from public."Chat" c where c.id = "chatId" and c.user_id = auth.uid()))
  with check (exists (select 1 from public."Chat" c where c.id = "chatId" and c.user_id = auth.uid()));

-- Document
create policy "Users can read own documents" on public."Document" for select to authenticated using (auth.uid() = user_id);
create policy "Users can create own documents" on public."Document" for insert to authenticated with check (auth.uid() = user_id);
create policy "Users can update own documents" on public."Document" for update to authenticated using (auth.uid() = user_id);
create policy "Users can delete own documents" on public."Document" for delete to authenticated using (auth.uid() = user_id);

-- Suggestion
create policy "Users can read own suggestions" on public."Suggestion" for select to authenticated using (auth.uid() = user_id);
create policy "Users can create own suggestions" on public."Suggestion" for insert to authenticated with check (auth.uid() = user_id);
create policy "Users can update own suggestions" on public."Suggestion" for update to authenticated using (auth.uid() = user_id);
create policy "Users can delete own suggestions" on public."Suggestion" for delete to authenticated using (auth.uid() = user_id);

-- Stream
create policy "Users can access streams in own chats" on public."Stream" for all to authenticated
  using (exists (select 1 from public."Chat" c where c.id = "chatId" and c.user_id = auth.uid()))
  with check (exists (select 1 from public."Chat" c where c.id = "chatId" and c.user_id = auth.uid()));

-- admin_config
create policy "Admins can read admin_config" on public.admin_config for select to authenticated using (public.get_user_role() = 'admin');
create policy "Admins can update admin_config" on public.admin_config for all to authenticated
  using (public.get_user_role() = 'admin') with check (public.get_user_role() = 'admin');

-- model_config
create policy "Authenticated users can read model_config" on public.model_config for select to authenticated using (auth.uid() is not null);
create policy "Admins can manage model_config" on public.model_config for all to authenticated
  using (public.get_user_role() = 'admin') with check (public.get_user_role() = 'admin');

-- usage_logs
create policy "Users can read own usage_logs" on public.usage_logs for select to authenticated using (auth.uid() = user_id);
create policy "Admins can read all usage_logs" on public.usage_logs for select to authenticated using (public.get_user_role() = 'admin');
create policy "System can create usage_logs" on public.usage_logs for insert to authenticated with check (auth.uid() = user_id);

-- rate_limit_tracking
create policy "Users can read own rate_limits" on public.rate_limit_tracking for select to authenticated using (auth.uid() = user_id);
create policy "System can manage rate_limits" on public.rate_limit_tracking for all to service_role using (true) with check (true);

-- github_repositories
create policy "Users can manage own repositories" on public.github_repositories for all to authenticated
  using (auth.uid() = user_id) with check (auth.uid() = user_id);

-- error_logs
create policy "Users can read own error_logs" on public.error_logs for select to authenticated using (auth.uid() = user_id);
create policy "Admins can read all error_logs" on public.error_logs for select to authenticated using (public.get_user_role() = 'admin');
create policy "Admins can update error_logs" on public.error_logs for update to authenticated using (public.get_user_role() = 'admin');
create policy "System can insert error_logs" on public.error_logs for insert to authenticated with check (user_id is null or auth.uid() = user_id);

-- user_activity_logs
create policy "Users can read own activity logs" on public.user_activity_logs for select to authenticated using (auth.uid() = user_id);
create policy "Admins can read all activity logs" on public.user_activity_logs for select to authenticated using (public.get_user_role() = 'admin');
create policy "System can insert activity logs" on public.user_activity_logs for insert to authenticated with check (auth.uid() = user_id);

-- agent_activity_logs
create policy "Users can read own agent logs" on public.agent_activity_logs for select to authenticated using (auth.uid() = user_id);
create policy "Admins can read all agent logs" on public.agent_activity_logs for select to authenticated using (public.get_user_role() = 'admin');
create policy "System can insert agent logs" on public.agent_activity_logs for insert to authenticated with check (user_id is null or auth.uid() = user_id);
