import path from "node:path";
import type { Settings } from "../../config/load-config.js";
import { supabaseSeedsSkipped } from "../../core/seed-policy.js";

/** Why this run skips the project's Supabase seeds (see core/seed-policy.ts), or undefined. */
export function seedsSkippedFor(settings: Settings, flag: boolean | undefined): string | undefined {
  return supabaseSeedsSkipped({
    // config.toml's seeds, or the whole supabase/ folder an earlier `dbkit init` configured.
    fromSupabaseConfig: settings.seedPatterns !== undefined || settings.seedsDir === path.join(settings.cwd, "supabase"),
    url: settings.databaseUrl?.value,
    flag,
    seedRemote: settings.seedRemote,
  });
}
