-- Keeps updated_at current on every update.
create or replace function public.touch_updated_at()
returns trigger
language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- The role of the current user, read from a session setting the application sets per request.
create or replace function public.current_profile_role()
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(
    (select p.role from public.profiles p where p.id = nullif(current_setting('app.user_id', true), '')::uuid),
    'anonymous'
  );
$$;
