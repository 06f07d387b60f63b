/**
 * `dbkit reset`: names the target first; a person types the database name, a script passes
 * --yes; a database on another machine also needs --allow-remote. Refusals change nothing.
 */
import { resetTarget, resetWith, type ResetFlags } from "../api/reset.js";
import { UsageError } from "../errors.js";
import { renderMigrate } from "../output/render.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { ResetFlags };

export async function resetCommand({ settings, output }: CommandContext, flags: ResetFlags): Promise<number> {
  const target = resetTarget(settings);
  if (target.url?.ok) output.target({ ...target.url.url, embedded: false }, settings.databaseUrl!.source);
  else output.info(output.paint.dim("database: embedded Postgres in .dbkit/"));
  let yes = Boolean(flags.yes);
  if (!yes && output.interactive && (target.local || flags.allowRemote)) {
    const answer = await output.ask(`reset drops everything the migrations created in database "${target.database}", and its data. Type the database name to continue: `);
    if (answer !== target.database) throw new UsageError("DBKIT_RESET_UNCONFIRMED", `"${answer}" is not "${target.database}": nothing was changed`);
    yes = true;
  }
  const report = await resetWith(settings, trackingProgress(output), { ...flags, yes });
  output.result(report, () => (report.migrate ? renderMigrate(report.migrate, output.paint) : ""));
  return 0;
}
