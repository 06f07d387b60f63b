-- Row level security: a user sees their own chats; admins see all.
alter table public.chats enable row level security;
alter table public.messages enable row level security;

create policy chats_owner_or_admin on public.chats
  for select
  using (
    owner_id = nullif(current_setting('app.user_id', true), '')::uuid
    or public.current_profile_role() = 'admin'
  );

create policy messages_of_visible_chats on public.messages
  for select
  using (exists (select 1 from public.chats c where c.id = chat_id));
