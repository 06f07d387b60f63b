-- App settings and logging settings. Idempotent: runs again when this file changes.
insert into public.admin_config (config_key, config_data) values
  ('app_settings', '{"activeProvider": "google", "availableProviders": ["google", "openai", "anthropic"]}'),
  ('logging_settings', '{
    "error_logging_enabled": true,
    "user_activity_logging_enabled": false,
    "agent_activity_logging_enabled": false,
    "log_retention_days": {"error_logs": 90, "user_activity_logs": 30, "agent_activity_logs": 7},
    "category_toggles": {"log_auth_events": true, "log_chat_events": true, "log_document_events": true, "log_admin_events": true},
    "performance_settings": {"batch_writes": true, "batch_size": 100, "flush_interval_ms": 5000},
    "privacy_settings": {"anonymize_ip": false, "exclude_user_agent": false}
  }')
on conflict (config_key) do update set config_data = excluded.config_data;
