-- Admins (user_metadata.role = 'admin') read every chat and the configuration; others do not.
-- Written the way Supabase's documentation shows pgTAP tests: dbkit runs it unchanged.
begin;
select plan(5);

select tests.create_supabase_user('admin', 'admin@example.com', null, '{"role": "admin"}');
select tests.create_supabase_user('carol');
insert into public."Chat" (title, user_id) values ('carol''s chat', tests.get_supabase_uid('carol'));

select tests.authenticate_as('carol');
select is_empty($$ select * from public.admin_config $$, 'a user does not read the configuration');
select ok((select count(*) from public.model_config) > 0, 'a signed-in user reads the model list');

select tests.authenticate_as('admin');
select results_eq($$ select title from public."Chat" $$, $$ values ('carol''s chat') $$, 'an admin reads every chat');
select isnt((select count(*) from public.admin_config), 0::bigint, 'an admin reads the configuration');
select throws_ok(
  $$ insert into public."Chat" (title, user_id) values ('as carol', tests.get_supabase_uid('carol')) $$,
  '42501',
  'new row violates row-level security policy for table "Chat"',
  'an admin still cannot write in another user''s name'
);

select * from finish();
rollback;
