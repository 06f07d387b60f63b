/**
 * verify's analysis of the migrations (core/verify-scope.ts), cached in
 * `.dbkit/verify-cache/analysis-<key>.json` under a key made of what it depends on: every file's
 * checksum, the schemas setting, the journal schema and the versions of dbkit and the analysis.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { MigrationFile } from "../core/types.js";
import { VERIFY_ANALYSIS_VERSION, type VerifyAnalysis } from "../core/verify-scope.js";
import { DBKIT_VERSION } from "../version.js";
import { verifyCacheKey } from "./verify-cache.js";

export interface AnalysisInputs {
  stateDir: string;
  files: readonly MigrationFile[];
  schemas: readonly string[] | undefined;
  journalSchema: string;
  /** A Supabase project (which platform-named schemas it owns depends on it). */
  supabase?: boolean;
  /** False (--no-cache): analyse again, and write the fresh result. */
  useCache: boolean;
}

/** The cached analysis when its inputs have not changed, else `compute()`'s, written for the next run. */
export async function cachedAnalysis(inputs: AnalysisInputs, compute: () => Promise<VerifyAnalysis>): Promise<VerifyAnalysis> {
  const key = verifyCacheKey({ analysis: VERIFY_ANALYSIS_VERSION, v: DBKIT_VERSION, schemas: inputs.schemas ?? null, supabase: inputs.supabase ?? false, journal: inputs.journalSchema, files: inputs.files.map((f) => [f.name, f.checksum]) });
  const dir = path.join(inputs.stateDir, "verify-cache");
  const file = path.join(dir, `analysis-${key}.json`);
  if (inputs.useCache) {
    try {
      return JSON.parse(await readFile(file, "utf8")) as VerifyAnalysis;
    } catch {
      // not cached yet (or unreadable): analyse
    }
  }
  const analysis = await compute();
  try {
    await mkdir(dir, { recursive: true });
    // Written whole then renamed: a concurrent verify never reads half a file.
    await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(analysis));
    await rename(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A read-only project folder: the next run analyses again.
  }
  return analysis;
}
