import type { MigrationFile } from "./types.js";

/** Is this a Supabase project? Config says so, or its layout, or its migrations' references. */
const SUPABASE_REFERENCE = /\b(auth|storage)\.[a-z_]+|\b(anon|authenticated|service_role)\b/i;

export function isSupabaseProject(configured: boolean | undefined, migrationsDir: string, migrations: readonly Pick<MigrationFile, "text" | "mentionsSupabase">[]): boolean {
  if (configured !== undefined) return configured;
  if (/(^|[\\/])supabase[\\/]migrations[\\/]?$/.test(migrationsDir)) return true;
  // The answer recorded when the file was read spares reading a cached file's text again.
  return migrations.some((file) => file.mentionsSupabase ?? mentionsSupabase(file.text));
}

/** Does this SQL refer to Supabase's schemas or API roles? */
export function mentionsSupabase(text: string): boolean {
  return SUPABASE_REFERENCE.test(text);
}
