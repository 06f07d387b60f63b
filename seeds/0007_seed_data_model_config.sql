-- Model configurations with pricing per million tokens. Idempotent: runs again when this file changes.
-- Defaults first: the trigger keeps one default per provider.
insert into public.model_config (model_id, name, description, provider, is_active, is_default, thinking_enabled, input_pricing_per_million_tokens, output_pricing_per_million_tokens, metadata) values
  ('gemini-2.0-flash', 'Gemini 2.0 Flash', 'Fast multimodal model', 'google', true, true, false, 0.10, 0.40, '{"contextWindow": 1048576, "maxOutputTokens": 8192}'),
  ('gemini-2.5-flash', 'Gemini 2.5 Flash', 'Fast model with thinking', 'google', true, false, true, 0.30, 2.50, '{"contextWindow": 1048576, "maxOutputTokens": 65536}'),
  ('gemini-2.5-pro', 'Gemini 2.5 Pro', 'Most capable Gemini model', 'google', true, false, true, 1.25, 10.00, '{"contextWindow": 1048576, "maxOutputTokens": 65536}'),
  ('gemma-3', 'Gemma 3', 'Open model', 'google', false, false, false, 0.00, 0.00, '{"contextWindow": 131072, "maxOutputTokens": 8192}'),
  ('gpt-4o', 'GPT-4o', 'Flagship multimodal model', 'openai', true, true, false, 2.50, 10.00, '{"contextWindow": 128000, "maxOutputTokens": 16384}'),
  ('gpt-4o-mini', 'GPT-4o mini', 'Small, fast model', 'openai', true, false, false, 0.15, 0.60, '{"contextWindow": 128000, "maxOutputTokens": 16384}'),
  ('gpt-4-turbo', 'GPT-4 Turbo', 'Previous generation', 'openai', false, false, false, 10.00, 30.00, '{"contextWindow": 128000, "maxOutputTokens": 4096}'),
  ('claude-3-5-sonnet-20241022', 'Claude 3.5 Sonnet', 'Balanced model', 'anthropic', true, true, false, 3.00, 15.00, '{"contextWindow": 200000, "maxOutputTokens": 8192}'),
  ('claude-3-5-haiku-20241022', 'Claude 3.5 Haiku', 'Fast model', 'anthropic', true, false, false, 0.80, 4.00, '{"contextWindow": 200000, "maxOutputTokens": 8192}'),
  ('claude-3-opus-20240229', 'Claude 3 Opus', 'Previous flagship', 'anthropic', false, false, false, 15.00, 75.00, '{"contextWindow": 200000, "maxOutputTokens": 4096}')
on conflict (model_id) do update set
  name = excluded.name,
  description = excluded.description,
  is_active = excluded.is_active,
  is_default = excluded.is_default,
  thinking_enabled = excluded.thinking_enabled,
  input_pricing_per_million_tokens = excluded.input_pricing_per_million_tokens,
  output_pricing_per_million_tokens = excluded.output_pricing_per_million_tokens,
  metadata = excluded.metadata;
