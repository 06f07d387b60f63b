/** Is this a Supabase project? Config says so, or its layout, or its migrations' references. */
const SUPABASE_REFERENCE = /\b(auth|storage)\.[a-z_]+|\b(anon|authenticated|service_role)\b/i;

export function isSupabaseProject(configured: boolean | undefined, migrationsDir: string, migrationTexts: readonly string[]): boolean {
  if (configured !== undefined) return configured;
  if (/(^|[\\/])supabase[\\/]migrations[\\/]?$/.test(migrationsDir)) return true;
  return migrationTexts.some((text) => SUPABASE_REFERENCE.test(text));
}
