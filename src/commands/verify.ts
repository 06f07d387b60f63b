/** `dbkit verify`: exit 0 when the database matches the migrations, 5 on drift. */
import type { JournalRow, MigrationFile } from "../core/types.js";
import { readFile } from "node:fs/promises";
import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runSecurityCheck, runVerify, type VerifyResult } from "../engine/verify.js";
import { touchesClusterObjects } from "../core/cluster-objects.js";
import { readSeeds } from "../fs/read-seed-dir.js";
import { readVerifyCache, verifyCacheKey, writeVerifyCache } from "../fs/verify-cache.js";
import { cachedAnalysis } from "../fs/verify-analysis-cache.js";
import { DBKIT_VERSION } from "../version.js";
import { rolesNamedIn, type BuildContext, type TargetFacts } from "../core/build-context.js";
import { readServerMajor, scratchBuildFailed } from "./shared/open-scratch.js";
import { buildScratch } from "./shared/build-scratch.js";
import { withTarget } from "./shared/open-target.js";
import { detectSupabase } from "./shared/supabase-base.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { readMigrations } from "./shared/read-project.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { ExitCode, UsageError } from "../errors.js";
import { renderVerify } from "../output/render-verify.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("verify")
      .description("prove that the database matches the migrations and seeds (read-only)")
      .option("--shadow-url <url>", "server to build the expected schema on (default: a scratch embedded Postgres)")
      .option("--no-cache", "rebuild the expected schema even when .dbkit/verify-cache has it")
      .option("--security", "only the security checks (RLS, policies, SECURITY DEFINER functions, exposed views)")
      .option("--fail-on <level>", "security findings that fail verify: error (default) or warn")
      .addHelpText("after", "\nExamples:\n  $ DATABASE_URL=postgres://readonly@prod/db dbkit verify\n  $ dbkit verify --json --shadow-url postgres://postgres@localhost:5432/postgres\n"),
  bare: {},
  input: lazySchema(() =>
    z.object({
      shadowUrl: z.optional(z.string()),
      cache: z.optional(z.boolean()),
      security: z.optional(z.boolean()),
      failOn: z.optional(z.enum(["warn", "error"], { error: "use warn or error" })),
    }),
  ),
  run: verifyCommand,
});


export interface VerifyFlags {
  /** A server to build the expected schema on, instead of a scratch embedded Postgres. */
  shadowUrl?: string;
  /** False: rebuild the expected schema even when it is cached. */
  cache?: boolean;
  /** Only the security checks (no schema comparison). */
  security?: boolean;
  /** Which security findings fail verify: "error" (default) or "warn" and above. */
  failOn?: "warn" | "error";
}

export type VerifyReport = ResultDoc<"verify", VerifyResult & { target: TargetInfo }>;

/** Schemas the Supabase API serves (PostgREST's default), which the security checks cover. */
const API_SCHEMAS = ["public"];

/** Bumped when the catalog reader reads differently: a cached expected schema of another reader does not compare. */
const CATALOG_READER = 3;

/** Compares the database with what the migrations and seeds build; `ok` is false on drift. Reads only. */
export async function verifyWith(settings: Settings, base: Run, flags: VerifyFlags = {}): Promise<VerifyReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  const seeds = await readSeeds(settings);
  const failOn = flags.failOn ?? "error";
  if (failOn !== "warn" && failOn !== "error") throw new UsageError("DBKIT_USAGE", `--fail-on ${String(failOn)}: use warn or error`);
  const security = { exposedSchemas: API_SCHEMAS, failOn };
  const detection = await detectSupabase(settings, files);
  const supabase = detection.supabase;
  return withTarget(settings, reporter, {}, async (db, { embeddedUrl }) => {
    if (flags.security) {
      reporter.info(
        supabase
          ? `security checks of a Supabase project (${detection.reason})`
          : `not a Supabase project (${detection.reason}): only the checks that hold without an API ran`,
      );
      const result = await runSecurityCheck((schemas) => db.catalog.readSecurity(schemas), files, { ...security, api: supabase });
      return resultDoc("verify", { target: db.target, ...result }, warnings, result.ok);
    }
    if (supabase) reporter.info(`a Supabase project (${detection.reason}): checking the API's security too`);
    let facts: TargetFacts | undefined;
    let texts: Promise<string[]> | undefined;
    const seedTexts = () => (texts ??= Promise.all(seeds.map((seed) => readFile(seed.absolutePath, "utf8").catch(() => ""))));
    const result = await runVerify(
      {
        analysis: (compute) => cachedAnalysis({ stateDir: settings.stateDir, files, schemas: settings.schemas, supabase, journalSchema: settings.journalSchema, useCache: flags.cache !== false }, compute),
        expected: async (scope) => {
          facts = await db.catalog.readTargetFacts();
          const context: BuildContext = { settings: facts.settings, roles: rolesNamedIn(files.map((f) => f.text), facts.roles) };
          // The cache knows which server built it: a build on another major is another schema.
          const major = flags.shadowUrl ? await readServerMajor(flags.shadowUrl) : facts.major;
          const key = verifyCacheKey({ v: DBKIT_VERSION, reader: CATALOG_READER, major, context, supabase, scope, journal: settings.journalSchema, session: settings.sessionSettings, files: files.map((f) => [f.name, f.checksum]), seeds: seeds.map((s) => [s.name, s.checksum]) });
          const cached = flags.cache === false ? undefined : await readVerifyCache(settings.stateDir, key);
          if (cached) return { ...cached, cached: true };
          reporter.info(`building the expected schema from the migrations in a scratch database (Postgres ${major})`);
          const targetServer = embeddedUrl ? { url: embeddedUrl, exact: ![...files.map((f) => f.text), ...(await seedTexts())].some(touchesClusterObjects) } : undefined;
          const scratch = await buildScratch(settings, reporter, {
            shadowUrl: flags.shadowUrl,
            targetMajor: facts.major,
            context,
            ...(targetServer ? { targetServer } : {}),
            files,
            seeds,
            detection,
            failed: async (error, { major }) => scratchBuildFailed(error, major, Boolean(flags.shadowUrl), await appliedOnTarget(db, files, error)),
          });
          try {
            const expected = { ...(await scratch.db.catalog.readExpected(scope)), major: scratch.major };
            await writeVerifyCache(settings.stateDir, key, expected);
            return { ...expected, cached: false };
          } finally {
            await scratch.close();
          }
        },
        target: async (scope, expected, withSecurity) => ({ ...(await db.catalog.readTarget(scope, expected, withSecurity)), ...(facts ? { major: facts.major } : {}) }),
      },
      reporter.onEvent,
      { files, seeds, seedTexts: await seedTexts(), journalSchema: settings.journalSchema, supabase, ...(settings.schemas ? { schemas: settings.schemas } : {}), ...(supabase ? { security } : {}) },
    );
    return resultDoc("verify", { target: db.target, ...result }, warnings, result.ok);
  });
}

/** Whether the target's journal has the file a scratch build failed at applied; undefined when unknown. */
async function appliedOnTarget(db: { journal: { readJournal(): Promise<JournalRow[] | undefined> } }, files: readonly MigrationFile[], error: unknown): Promise<boolean | undefined> {
  const path = (error as { details?: { file?: unknown } }).details?.file;
  const file = files.find((f) => f.path === path);
  if (!file) return undefined;
  let rows: JournalRow[] | undefined;
  try {
    rows = await db.journal.readJournal();
  } catch {
    return undefined;
  }
  return (rows ?? []).some((row) => row.name === file.name && row.status === "applied");
}

/** Compares the database with what the migrations build; `ok` is false on drift. Reads only. */
export async function verify(options: DbkitOptions & VerifyFlags = {}): Promise<VerifyReport> {
  return withApiRun(options, (settings, run) => verifyWith(settings, run, options));
}

export async function verifyCommand({ settings, output, run }: CommandContext, flags: VerifyFlags): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await verifyWith(settings, run, flags);
  output.result(report, () => renderVerify(report, output.paint));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
