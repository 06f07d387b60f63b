-- Reference data: idempotent, safe to run again.
insert into public.app_settings (key, value) values
  ('app_settings', '{"activeProvider": "google", "availableProviders": ["google", "openai", "anthropic"]}'),
  ('logging_settings', '{"error_logging_enabled": true, "log_retention_days": {"error_logs": 90}}')
on conflict (key) do update set value = excluded.value, updated_at = now();
