/**
 * `dbkit reset`: drop what the migrations created, then migrate again (unless --no-migrate).
 * Guarded: the target is named first; a person types the database name, a script passes --yes,
 * and a database on another machine also needs --allow-remote. Refusals change nothing.
 */
import { isLocalHost, parseConnectionUrl } from "../core/connection-url.js";
import { UsageError } from "../errors.js";
import { runReset } from "../engine/reset.js";
import { readMigrationDir } from "../fs/read-migration-dir.js";
import type { CommandContext } from "./context.js";
import { migrateCommand } from "./migrate.js";
import { openStore } from "./open-store.js";

export interface ResetFlags {
  yes?: boolean;
  allowRemote?: boolean;
  /** False with --no-migrate. */
  migrate?: boolean;
  seed?: boolean;
}

export async function resetCommand(context: CommandContext, flags: ResetFlags): Promise<number> {
  const { settings, output } = context;
  const { files, warnings } = await readMigrationDir(settings.migrationsDir, settings.cwd);
  for (const warning of warnings) output.warn(warning);
  const url = settings.databaseUrl ? parseConnectionUrl(settings.databaseUrl.value) : undefined;
  if (url && !url.ok) throw new UsageError("DBKIT_INVALID_URL", `the database URL is not valid: ${url.reason}`);
  const target = url?.ok ? url.url : undefined;
  // The target is named before anything else happens, refusals included.
  if (target) output.target({ ...target, embedded: false }, settings.databaseUrl!.source);
  else output.info(output.paint.dim("database: embedded Postgres in .dbkit/"));
  if (target && !isLocalHost(target.host) && !flags.allowRemote) {
    throw new UsageError("DBKIT_RESET_REMOTE", `refusing to reset ${target.host}: it is not on this machine`, {
      hint: "reset drops schemas and data; if you really mean this database, add --allow-remote (and --yes)",
    });
  }
  const database = target?.database ?? "postgres";
  if (!flags.yes) {
    if (!output.interactive) {
      throw new UsageError("DBKIT_RESET_UNCONFIRMED", "reset needs confirmation: run it in a terminal, or pass --yes", {
        hint: "reset drops every schema the migrations created, the journal, and the data in them",
      });
    }
    const answer = await output.ask(`reset drops everything the migrations created in database "${database}", and its data. Type the database name to continue: `);
    if (answer !== database) throw new UsageError("DBKIT_RESET_UNCONFIRMED", `"${answer}" is not "${database}": nothing was changed`);
  }

  const { store, close } = await openStore(settings, output, { announce: false });
  let result;
  try {
    result = await runReset(store, output.events(), { files, journalSchema: settings.journalSchema, ...(settings.schemas ? { schemas: settings.schemas } : {}) });
  } finally {
    await close();
  }
  const summary = `reset: dropped ${result.droppedSchemas.length > 0 ? `schema(s) ${result.droppedSchemas.join(", ")}` : "nothing"}${result.removed.length > 0 ? `; removed ${result.removed.join(", ")}` : ""}`;
  if (flags.migrate === false) {
    output.result("reset", { target: store.target, ...result }, () => summary);
    return 0;
  }
  output.info(summary);
  return migrateCommand(context, { ...(flags.seed === false ? { seed: false } : {}) });
}
