/** `dbkit seed`: run the seeds that are due (never run, or changed), without migrating. */
import { runSeedsOnly } from "../engine/seed.js";
import { readSeedDir, seedParts } from "../fs/read-seed-dir.js";
import { renderSeeds } from "../output/render.js";
import { DBKIT_VERSION } from "../version.js";
import type { CommandContext } from "./context.js";
import { openStore } from "./open-store.js";
import { trackProgress } from "./progress.js";

export async function seedCommand({ settings, output }: CommandContext, flags: { dryRun?: boolean }): Promise<number> {
  const seeds = await readSeedDir(settings.seedsDir, settings.cwd);
  const { store, close } = await openStore(settings, output);
  try {
    const result = await runSeedsOnly(store, trackProgress(output.events()), seeds, (seed) => () => seedParts(seed.absolutePath, settings.cwd), {
      dryRun: Boolean(flags.dryRun),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      lockRetries: settings.lockRetries,
      onLockRetry: (message) => output.warn(message),
      dbkitVersion: DBKIT_VERSION,
    });
    output.result("seed", { target: store.target, dryRun: Boolean(flags.dryRun), ...result }, () => renderSeeds(result, Boolean(flags.dryRun), output.paint));
    return 0;
  } finally {
    await close();
  }
}
