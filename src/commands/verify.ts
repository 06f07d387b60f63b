/** `dbkit verify`: compare the live database with what the migrations and seeds build. */
import { ExitCode } from "../errors.js";
import { runMigrate } from "../engine/migrate.js";
import type { EventSink } from "../engine/ports.js";
import { runVerify } from "../engine/verify.js";
import { readMigrationDir } from "../fs/read-migration-dir.js";
import { readSeedDir, seedParts } from "../fs/read-seed-dir.js";
import { readVerifyCache, verifyCacheKey, writeVerifyCache } from "../fs/verify-cache.js";
import { renderVerify } from "../output/render-verify.js";
import { DBKIT_VERSION } from "../version.js";
import type { CommandContext } from "./context.js";
import { openScratchStore } from "./open-scratch.js";
import { openStore } from "./open-store.js";

export interface VerifyFlags {
  shadowUrl?: string;
  cache?: boolean;
}

/** The scratch build reports nothing: its progress is not the user's business. */
const SILENT: EventSink = { warn: () => undefined, info: () => undefined, applying: () => undefined, applied: () => undefined, skipped: () => undefined };

export async function verifyCommand({ settings, output }: CommandContext, flags: VerifyFlags): Promise<number> {
  const { files, warnings } = await readMigrationDir(settings.migrationsDir, settings.cwd);
  for (const warning of warnings) output.warn(warning);
  const seeds = await readSeedDir(settings.seedsDir, settings.cwd);
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const { store, close } = await openStore(settings, output);
  try {
    const result = await runVerify(
      {
        expected: async (scope) => {
          const key = verifyCacheKey({ v: DBKIT_VERSION, scope, journal: settings.journalSchema, files: files.map((f) => [f.name, f.checksum]), seeds: seeds.map((s) => [s.name, s.checksum]) });
          const cached = flags.cache === false ? undefined : await readVerifyCache(settings.stateDir, key);
          if (cached) return { ...cached, cached: true };
          output.info(output.paint.dim("building the expected schema from the migrations in a scratch database"));
          const scratch = await openScratchStore(settings, output, flags.shadowUrl);
          try {
            await runMigrate(scratch.store, SILENT, {
              files,
              lockTimeout: settings.lockTimeout,
              statementTimeout: settings.statementTimeout,
              dbkitVersion: DBKIT_VERSION,
              seeds: { files: seeds, partsOf: (seed) => () => seedParts(seed.absolutePath, settings.cwd) },
            });
            const expected = await scratch.store.readExpected(scope);
            await writeVerifyCache(settings.stateDir, key, expected);
            return { ...expected, cached: false };
          } finally {
            await scratch.close();
          }
        },
        target: (scope, expected) => store.readTarget(scope, expected),
      },
      output.events(),
      { files, seeds, journalSchema: settings.journalSchema, ...(settings.schemas ? { schemas: settings.schemas } : {}) },
    );
    output.result("verify", { target: store.target, ...result }, () => renderVerify(result, output.paint));
    return result.ok ? ExitCode.ok : ExitCode.drift;
  } finally {
    await close();
  }
}
