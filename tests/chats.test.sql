-- Each user sees and changes only their own chats and messages; anon sees nothing private.
-- Run with `dbkit test`: this file runs in a transaction that is rolled back afterwards.

select tests.create_user('alice');
select tests.create_user('bob');

-- Data made as the owner (row-level security does not apply to it).
insert into public."Chat" (id, title, user_id) values
  ('00000000-0000-0000-0000-0000000000a1', 'alice''s chat', tests.get_user_id('alice')),
  ('00000000-0000-0000-0000-0000000000b1', 'bob''s chat', tests.get_user_id('bob'));
insert into public."Message_v2" ("chatId", role, parts) values
  ('00000000-0000-0000-0000-0000000000a1', 'user', '["hello from alice"]'),
  ('00000000-0000-0000-0000-0000000000b1', 'user', '["hello from bob"]');

select tests.authenticate_as('alice');
select results_eq($$ select title from public."Chat" $$, array['alice''s chat'], 'alice sees only her chat');
select tests.rows_visible($$ select * from public."Message_v2" $$, 1, 'alice sees only the messages of her chats');
select tests.allowed($$ insert into public."Chat" (title, user_id) values ('new', auth.uid()) $$, 'alice creates a chat of her own');
select tests.denied($$ insert into public."Chat" (title, user_id) values ('forged', tests.get_user_id('bob')) $$, 'rls', 'alice cannot create a chat for bob');
select tests.denied($$ update public."Chat" set title = 'mine now' where user_id = tests.get_user_id('bob') $$, 'rls', 'alice cannot rename bob''s chat');
select tests.denied($$ delete from public."Chat" where id = '00000000-0000-0000-0000-0000000000b1' $$, 'rls', 'alice cannot delete bob''s chat');
select tests.denied($$ insert into public."Message_v2" ("chatId", role, parts) values ('00000000-0000-0000-0000-0000000000b1', 'user', '[]') $$, 'rls', 'alice cannot post in bob''s chat');

select tests.authenticate_as('bob');
select results_eq($$ select title from public."Chat" $$, array['bob''s chat'], 'bob sees only his chat');

select tests.authenticate_as_anon();
select is_empty($$ select * from public."Chat" $$, 'anon sees no chat');
select is_empty($$ select * from public."Message_v2" $$, 'anon sees no message');
select is_empty($$ select * from public.model_config $$, 'anon does not see the model list');
select is_empty($$ select * from public.admin_config $$, 'anon does not see the configuration');

reset role; -- back to the owner
select is((select count(*) from public."Chat"), 3::bigint, 'the owner sees every chat');
