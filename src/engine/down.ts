/** `down`: revert applied migrations newest first, with the downs their folder format keeps. */
import { planDown, type DownTarget } from "../core/down-plan.js";
import type { MigrationFile } from "../core/types.js";
import { DriftError, MigrationFailedError, UnresolvedMigrationError, UsageError } from "../errors.js";
import { parseStatements, type SqlStatement } from "../sql/parse-sql.js";
import type { Applier, Journal } from "./ports.js";
import { waitNotice } from "./wait-notice.js";
import type { OnEvent } from "./events.js";

export interface DownOptions extends DownTarget {
  files: MigrationFile[];
  dryRun?: boolean;
  lockTimeout: string;
  statementTimeout: string;
  /** The project's session settings (sessionSettings in dbkit.config.json), as migrate runs with them. */
  sessionSettings?: Readonly<Record<string, string>>;
  dbkitVersion: string;
}

export interface DownResult {
  dryRun: boolean;
  /** What was (or, with dryRun, would be) reverted, newest first. */
  planned: { name: string; down: string; mode: "transaction" | "no-transaction" }[];
  reverted: { name: string; executionMs: number }[];
}

export async function runDown(ports: { journal: Journal; applier: Applier }, onEvent: OnEvent, options: DownOptions): Promise<DownResult> {
  const journal = (await ports.journal.readJournal()) ?? [];
  const plan = planDown(options.files, journal, options);
  if (!plan.ok) throw refusal(plan);
  const planned = plan.steps.map(({ file, down }) => ({ name: file.name, down: down.path, mode: down.noTransaction ? "no-transaction" : "transaction" }) as const);
  const result: DownResult = { dryRun: Boolean(options.dryRun), planned, reverted: [] };
  if (plan.steps.length === 0) return result;
  // Every down that runs statement by statement is parsed before the first down runs.
  const statements = new Map<string, SqlStatement[]>();
  for (const { file, down } of plan.steps) {
    if (!down.noTransaction) continue;
    const parsed = await parseStatements(down.text);
    if (!parsed.ok) {
      const { line, column } = parsed.location;
      throw new MigrationFailedError("DBKIT_SYNTAX_ERROR", `${down.path}:${line}:${column}: ${parsed.message}`, { hint: "fix the down's syntax; nothing was reverted", details: { file: down.path, line, column } });
    }
    statements.set(file.name, parsed.statements);
  }
  if (options.dryRun) return result;
  const onWait = waitNotice(onEvent);
  for (const { file, down } of plan.steps) {
    onEvent({ type: "info", message: `reverting ${file.name} (${down.path})` });
    const { executionMs } = await ports.applier.revert(file, down, statements.get(file.name), {
      lockTimeout: options.lockTimeout,
      statementTimeout: options.statementTimeout,
      ...(options.sessionSettings ? { sessionSettings: options.sessionSettings } : {}),
      dbkitVersion: options.dbkitVersion,
      onWait,
    });
    result.reverted.push({ name: file.name, executionMs });
  }
  return result;
}

function refusal(plan: Exclude<ReturnType<typeof planDown>, { ok: true }>): Error {
  switch (plan.reason) {
    case "unknown-target":
      return new UsageError("DBKIT_UNKNOWN_TARGET", `--to ${plan.target}: no migration has that name or version`, { hint: "run dbkit status to list the migrations; --to 0 reverts every one" });
    case "unresolved":
      return new UnresolvedMigrationError(plan.name, plan.status);
    case "not-revertible": {
      const problems = [
        ...plan.missingFile.map((name) => `${name}: its file is gone`),
        ...plan.changed.map((path) => `${path}: changed since it was applied, so its down may not fit what the database has`),
        ...plan.withoutDown.map((path) => `${path}: has no down`),
      ];
      const message = `nothing was reverted: ${problems.join("; ")}`;
      const details = { missingFile: plan.missingFile, changed: plan.changed, withoutDown: plan.withoutDown };
      if (plan.missingFile.length + plan.changed.length > 0) {
        return new DriftError("DBKIT_DOWN_REFUSED", message, { hint: "restore the files as they were applied; dbkit reverts only what it can see matches", details });
      }
      return new UsageError("DBKIT_NO_DOWN", message, { hint: "write the down (a .down.sql file, a `-- migrate:down` section or a Flyway U file), or revert by hand and fix the journal", details });
    }
  }
}
