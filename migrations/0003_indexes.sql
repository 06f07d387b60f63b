create index chats_owner_id_idx on public.chats (owner_id);
create index messages_chat_id_created_at_idx on public.messages (chat_id, created_at);
