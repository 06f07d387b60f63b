/**
 * What verify learns from parsing every migration: the scope it compares and which file defines
 * each object. It depends only on the files' content and two settings, so a warm verify reads it
 * from the cache (VerifyPorts.analysis) instead of parsing every migration again.
 */
import type { MigrationFile } from "../core/types.js";
import { definitionSites, verifyScope, type VerifyAnalysis } from "../core/verify-scope.js";
import { parseFiles } from "./parse-files.js";

export async function analyseMigrations(files: readonly MigrationFile[], schemas: readonly string[] | undefined, journalSchema: string, supabase = false): Promise<VerifyAnalysis> {
  const unparsed: VerifyAnalysis["unparsed"] = [];
  const parsed = await parseFiles(files, (file, message) => unparsed.push({ path: file.path, message }));
  return { scope: verifyScope(parsed, schemas, journalSchema, supabase), sites: [...definitionSites(parsed)], unparsed };
}
