/**
 * `redo`: the loop of writing the newest migration on a local database. The database is rebuilt
 * up to the migration before the newest applied one (reset, then migrate --to), and the newest
 * file, as it is now, is applied again. Local databases only: it drops data, like reset.
 */
import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { UsageError } from "../errors.js";
import { migrateWith, type MigrateReport } from "./migrate.js";
import { resetTarget, resetWith } from "./reset.js";
import { collectingWarnings, createRun, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { statusWith } from "./status.js";
import { renderMigrate } from "../output/render.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program.command("redo").description("local databases: rebuild to before the newest applied migration and apply it again as edited").option("--no-seed", "do not run seeds afterwards"),
  bare: {},
  input: lazySchema(() => z.object({ seed: z.optional(z.boolean()) })),
  run: redoCommand,
});


export interface RedoFlags {
  /** False: no seeds after applying the newest migration (--no-seed). */
  seed?: boolean;
}

export type RedoReport = ResultDoc<"redo", { target: TargetInfo; redone: string; rebuiltTo: string | null; migrate: MigrateReport }>;

export async function redoWith(settings: Settings, base: Run, flags: RedoFlags = {}): Promise<RedoReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const where = resetTarget(settings);
  if (!where.local) {
    throw new UsageError("DBKIT_REDO_REMOTE", `refusing to redo on ${where.host}: it is not on this machine`, {
      hint: "redo rebuilds the database and loses its data; on a shared database put the change in a new migration",
    });
  }
  const status = await statusWith(settings, reporter);
  const unresolved = status.entries.find((entry) => entry.state === "failed" || entry.state === "running");
  if (unresolved) throw new UsageError("DBKIT_REDO_UNRESOLVED", `${unresolved.name} is ${unresolved.state}: settle it first`, { hint: `dbkit resolve ${unresolved.name} --applied or --rolled-back` });
  const applied = status.entries.filter((entry) => entry.state === "applied" || entry.state === "changed");
  const newest = applied.at(-1);
  if (!newest) throw new UsageError("DBKIT_REDO_NOTHING", "no migration is applied: there is nothing to redo", { hint: "run dbkit migrate" });
  const previous = applied.at(-2)?.name ?? null;
  // The target was named by status; the steps below would name it again.
  const quiet = createRun((event) => event.type !== "target" && reporter.onEvent(event), reporter.interrupts);
  await resetWith(settings, quiet, { yes: true, migrate: false });
  if (previous) await migrateWith(settings, quiet, { to: previous, seed: false });
  const isLast = status.entries.filter((entry) => entry.file !== null).at(-1)?.name === newest.name;
  // Seeds run only when the newest file is the last one (migrate --to runs none).
  const migrate = await migrateWith(settings, quiet, isLast ? (flags.seed === false ? { seed: false } : {}) : { to: newest.name });
  return resultDoc("redo", { target: status.target, redone: newest.name, rebuiltTo: previous, migrate }, warnings);
}

export async function redoCommand({ settings, output, run }: CommandContext, flags: RedoFlags): Promise<number> {
  const report = await redoWith(settings, run, flags);
  output.result(report, () => `redo: rebuilt ${report.rebuiltTo ? `up to ${report.rebuiltTo}` : "from nothing"}, then applied ${report.redone} as it is now\n${renderMigrate(report.migrate, output.paint)}`);
  return 0;
}
