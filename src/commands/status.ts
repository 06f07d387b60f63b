/** `dbkit status`: the journal and the files side by side; `--check` turns the verdict into an exit code. */
import { ExitCode } from "../errors.js";
import { readMigrationDir } from "../fs/read-migration-dir.js";
import { readSeedDir } from "../fs/read-seed-dir.js";
import { runStatus } from "../engine/status.js";
import { renderStatus } from "../output/render.js";
import type { CommandContext } from "./context.js";
import { openStore } from "./open-store.js";

export async function statusCommand({ settings, output }: CommandContext, flags: { check?: boolean }): Promise<number> {
  const { files, warnings } = await readMigrationDir(settings.migrationsDir, settings.cwd);
  for (const warning of warnings) output.warn(warning);
  const { store, close } = await openStore(settings, output);
  try {
    const result = await runStatus(store, files, await readSeedDir(settings.seedsDir, settings.cwd));
    output.result("status", { target: store.target, ...result }, () => renderStatus(result, output.paint));
    if (!flags.check) return 0;
    if (result.drift) return ExitCode.drift;
    if (result.pending) return ExitCode.pending;
    return ExitCode.ok;
  } finally {
    await close();
  }
}
