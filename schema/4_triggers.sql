-- Chat application schema: triggers.

-- A user deleted in Supabase Auth takes their data along.
create trigger on_auth_user_deleted
  before delete on auth.users
  for each row execute function public.handle_auth_user_deletion();

-- user_id must name a user in auth.users.
create trigger validate_chat_user_id before insert or update on public."Chat"
  for each row execute function public.validate_user_id();
create trigger validate_document_user_id before insert or update on public."Document"
  for each row execute function public.validate_user_id();
create trigger validate_suggestion_user_id before insert or update on public."Suggestion"
  for each row execute function public.validate_user_id();
create trigger validate_usage_logs_user_id before insert or update on public.usage_logs
  for each row execute function public.validate_user_id();
create trigger validate_rate_limit_user_id before insert or update on public.rate_limit_tracking
  for each row execute function public.validate_user_id();
create trigger validate_github_repos_user_id before insert or update on public.github_repositories
  for each row execute function public.validate_user_id();

-- Timestamps.
create trigger trigger_admin_config_updated_at before update on public.admin_config
  for each row execute function public.update_admin_config_timestamp();
create trigger trigger_model_config_updated_at before update on public.model_config
  for each row execute function public.update_model_config_timestamp();

-- Configuration rules.
create trigger trigger_validate_admin_config before insert or update on public.admin_config
  for each row execute function public.validate_admin_config_data();
create trigger trigger_ensure_single_default_model before insert or update on public.model_config
  for each row execute function public.ensure_single_default_model_per_provider();
