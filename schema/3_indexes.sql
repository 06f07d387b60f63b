-- Chat application schema: indexes for the common access patterns.

-- Chat
create index idx_chat_user_id on public."Chat" (user_id);
create index idx_chat_user_created on public."Chat" (user_id, "createdAt" desc);

-- Message_v2
create index idx_message_chat on public."Message_v2" ("chatId", "createdAt");

-- Document
create index idx_document_user_id on public."Document" (user_id);
create index idx_document_user on public."Document" (user_id, "createdAt" desc);
create index idx_document_versions on public."Document" (id, version_number);
create index idx_document_chat on public."Document" (chat_id);
create index idx_document_parent on public."Document" (parent_version_id);
create index idx_document_kind on public."Document" (kind);

-- Suggestion
create index idx_suggestion_user_id on public."Suggestion" (user_id);

-- usage_logs
create index idx_usage_logs_user_id on public.usage_logs (user_id);
create index idx_usage_logs_user_timestamp on public.usage_logs (user_id, request_timestamp desc);
create index idx_usage_logs_agent_timestamp on public.usage_logs (agent_type, request_timestamp desc);
create index idx_usage_logs_date_range on public.usage_logs (request_timestamp);
create index idx_usage_logs_model_provider on public.usage_logs (model_used, provider);
create index idx_usage_logs_date_agent on public.usage_logs ((request_timestamp::date), agent_type);
create index idx_usage_logs_cost_date on public.usage_logs (request_timestamp, total_cost);

-- rate_limit_tracking
create index idx_rate_limit_user_id on public.rate_limit_tracking (user_id);
create index idx_rate_limit_user_agent on public.rate_limit_tracking (user_id, agent_type);
create index idx_rate_limit_user_agent_period on public.rate_limit_tracking (user_id, agent_type, period_start, period_end);

-- github_repositories
create index idx_github_repos_user_id on public.github_repositories (user_id);
create index idx_github_repos_user on public.github_repositories (user_id, is_active);
create index idx_github_repos_user_active on public.github_repositories (user_id, last_accessed desc) where is_active;

-- error_logs
create index idx_error_logs_user_id on public.error_logs (user_id);
create index idx_error_logs_error_type on public.error_logs (error_type);
create index idx_error_logs_error_category on public.error_logs (error_category);
create index idx_error_logs_severity on public.error_logs (severity);
create index idx_error_logs_created_at on public.error_logs (created_at desc);
create index idx_error_logs_resolved on public.error_logs (resolved);
create index idx_error_logs_user_created on public.error_logs (user_id, created_at desc);
create index idx_error_logs_type_severity on public.error_logs (error_type, severity, created_at desc);

-- admin_config
create index idx_admin_config_key on public.admin_config (config_key);
create index idx_admin_config_updated on public.admin_config (updated_at desc);

-- model_config
create index idx_model_config_model_id on public.model_config (model_id);
create index idx_model_config_provider on public.model_config (provider);
create index idx_model_config_provider_active on public.model_config (provider, is_active);
create index idx_model_config_provider_default on public.model_config (provider) where is_default;
create index idx_model_config_active on public.model_config (is_active);

-- user_activity_logs
create index idx_user_activity_user_id on public.user_activity_logs (user_id);
create index idx_user_activity_correlation on public.user_activity_logs (correlation_id);
create index idx_user_activity_type on public.user_activity_logs (activity_type);
create index idx_user_activity_category on public.user_activity_logs (activity_category);
create index idx_user_activity_created on public.user_activity_logs (created_at desc);
create index idx_user_activity_user_created on public.user_activity_logs (user_id, created_at desc);
create index idx_user_activity_resource on public.user_activity_logs (resource_type, resource_id);
create index idx_user_activity_success on public.user_activity_logs (success);
create index idx_user_activity_user_type_date on public.user_activity_logs (user_id, activity_type, created_at desc);

-- agent_activity_logs
create index idx_agent_activity_user_id on public.agent_activity_logs (user_id);
create index idx_agent_activity_correlation on public.agent_activity_logs (correlation_id);
create index idx_agent_activity_agent_type on public.agent_activity_logs (agent_type);
create index idx_agent_activity_operation on public.agent_activity_logs (operation_type);
create index idx_agent_activity_category on public.agent_activity_logs (operation_category);
create index idx_agent_activity_created on public.agent_activity_logs (created_at desc);
create index idx_agent_activity_model on public.agent_activity_logs (model_id, provider);
create index idx_agent_activity_success on public.agent_activity_logs (success);
create index idx_agent_activity_resource on public.agent_activity_logs (resource_type, resource_id);
create index idx_agent_activity_duration on public.agent_activity_logs (duration_ms);
create index idx_agent_activity_cost on public.agent_activity_logs (total_cost);
create index idx_agent_activity_agent_op_date on public.agent_activity_logs (agent_type, operation_type, created_at desc);
