/**
 * `dbkit diff`: compares two schema states and writes the migration that turns the first into the
 * second; the file is written only once proven (applied after the migrations in a scratch
 * database, it gives the desired state exactly). Uses: the schema folder (desired) against the
 * migrations; a live database against the migrations (capture a hot-fix); any two databases.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../config/load-config.js";
import { migrationFiles, summaryLines } from "../core/diff/migration-files.js";
import { planDiff } from "../core/diff/plan.js";
import type { DiffPlan, RenameCandidate, Unsupported } from "../core/diff/types.js";
import { sanitiseName } from "../core/new-file-name.js";
import { analyseMigrations } from "../engine/verify-analysis.js";
import { ExitCode, UsageError } from "../errors.js";
import { readSchemaDir } from "../fs/read-schema-dir.js";
import { openDiffSides, type SideSource } from "./shared/diff-sides.js";
import { proofVerdict } from "../core/diff/proof-verdict.js";
import { namedFiles } from "./shared/diff-file-names.js";
import { parseRenames, renameHint } from "./shared/diff-renames.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { readMigrations } from "./shared/read-project.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { detectSupabase } from "./shared/supabase-base.js";
import { renderDiff, renderDiffSql } from "../output/render-diff.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";
import { runningInCi } from "../config/environment.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("diff [name...]")
      .description("write the next migration from the schema folder (or a live database), proven exact in a scratch database before it is written")
      .option("--from-migrations", "the current state is the migrations (the default)")
      .option("--from-url <url>", "the current state is this database (read only; the result cannot be proven)")
      .option("--to-url <url>", "the desired state is this database (read only), instead of the schema folder")
      .option("--shadow-url <url>", "server to make the scratch databases on (default: a scratch embedded Postgres)")
      .option("--dry-run", "print the SQL and write nothing")
      .option("--allow-drop", "write statements that lose data (drop table, column, type; a narrowing change), each marked in the file")
      .option("--rename <old=new>", "a renamed table (public.a=public.b) or column (public.t.a=public.t.b); repeatable", (value: string, previous: string[] = []) => [...previous, value])
      .option("--allow-incomplete", "write the file even when some changes cannot be written, listing them at its top")
      .addHelpText(
        "after",
        "\nExamples:\n  $ dbkit diff add invoices                                 # schema/ (supabase/schemas/) against migrations/\n  $ dbkit diff --from-migrations --to-url $PROD_URL hotfix  # a hot-fix made on a database, as a migration\n  $ dbkit diff --from-url $A --to-url $B                    # print the SQL from A to B\n  $ dbkit diff drop legacy --allow-drop --rename public.orders.total=public.orders.amount\n",
      ),
  input: lazySchema(() =>
    z.object({
      fromMigrations: z.optional(z.boolean()),
      fromUrl: z.optional(z.string()),
      toUrl: z.optional(z.string()),
      shadowUrl: z.optional(z.string()),
      dryRun: z.optional(z.boolean()),
      allowDrop: z.optional(z.boolean()),
      rename: z.optional(z.array(z.string())),
      allowIncomplete: z.optional(z.boolean()),
      args: z.tuple([z.array(z.string())]),
    }),
  ),
  run: (context, { args: [words], ...flags }) => diffCommand(context, words, flags),
});


export interface DiffFlags {
  /** The migration's name (`add invoices`); without it, only --dry-run. */
  name?: string;
  /** The current state is the migrations (the default unless --from-url). */
  fromMigrations?: boolean;
  fromUrl?: string;
  /** The desired state is this database (default: the schema folder). */
  toUrl?: string;
  /** A server to build the scratch databases on, instead of a scratch embedded Postgres. */
  shadowUrl?: string;
  /** Print the SQL instead of writing files. */
  dryRun?: boolean;
  allowDrop?: boolean;
  allowIncomplete?: boolean;
  /** Decided renames: `public.a=public.b` (tables), `public.t.a=public.t.b` (columns). */
  rename?: string[];
  /** Asked about each looks-renamed pair (a terminal); without it such a pair is refused. */
  confirmRename?: (candidate: RenameCandidate) => Promise<boolean>;
}

export interface DiffStatementDoc {
  sql: string;
  object: string;
  action: "create" | "alter" | "drop";
  /** The first hazard, or null; every hazard in `hazards`. */
  hazard: string | null;
  hazards: string[];
  phase: "transaction" | "no-transaction";
}

export interface DiffResult {
  from: string;
  to: string;
  statements: DiffStatementDoc[];
  /** One line per changed object (`+ table public.invoices`). */
  summary: string[];
  /** Files written (with --dry-run: that would be written). */
  files: { path: string; noTransaction: boolean; sql: string }[];
  written: boolean;
  /** --dry-run, given or implied (between two databases without a name): nothing is written. */
  dryRun: boolean;
  /** True: zero differences after the proof build; false: differences (listed); null: not proven (from is a database). */
  proven: boolean | null;
  notProvenReason?: string;
  differences: { kind: string; object: string; props?: string[] }[];
  unsupported: Unsupported[];
  refusedDrops: string[];
  renameCandidates: RenameCandidate[];
  /** Why nothing was written (exit 5), when refused. */
  refused?: string;
  hint?: string;
}

export type DiffReport = ResultDoc<"diff", DiffResult>;

export async function diffWith(settings: Settings, base: Run, flags: DiffFlags = {}): Promise<DiffReport> {
  const { reporter, warnings } = collectingWarnings(base);
  if (flags.fromUrl && flags.fromMigrations) throw new UsageError("DBKIT_USAGE", "--from-url and --from-migrations name two current states: give one");
  const name = flags.name === undefined ? "" : sanitiseName(flags.name);
  if (flags.name !== undefined && !name) throw new UsageError("DBKIT_USAGE", `"${flags.name}" has nothing usable as a file name`, { hint: "use letters, digits and spaces, e.g. dbkit diff add invoices" });
  // Between two databases nothing can be proven or written without a name: printing is the default.
  const dryRun = Boolean(flags.dryRun) || (!name && Boolean(flags.fromUrl));
  if (!name && !dryRun) throw new UsageError("DBKIT_USAGE", "dbkit diff needs a name for the migration it writes", { hint: "dbkit diff add invoices (or --dry-run to print the SQL)" });
  const renames = parseRenames(flags.rename ?? []);
  const folder = flags.fromUrl && !existsSync(settings.migrationsDir) ? { files: [], format: "dbkit" as const } : await readMigrations(settings, reporter);
  const migrations = folder.files;
  const schema = flags.toUrl ? undefined : readSchemaDir(settings);
  if (schema) reporter.info(`desired state: ${schema.files.length} file(s) of ${schema.shown}/ (${schema.order})`);
  const from: SideSource = flags.fromUrl ? { kind: "url", url: flags.fromUrl, flag: "--from-url" } : { kind: "migrations", files: migrations };
  const to: SideSource = flags.toUrl ? { kind: "url", url: flags.toUrl, flag: "--to-url" } : { kind: "schema", files: schema!.files, shown: schema!.shown };
  const projectFiles = [...migrations, ...(schema?.files ?? [])];
  const detection = await detectSupabase(settings, projectFiles);
  // Objects only in one side are seen: the scope covers the migrations and the schema files.
  const { scope } = await analyseMigrations(projectFiles, settings.schemas, settings.journalSchema, detection.supabase);
  const sides = await openDiffSides(settings, reporter, from, to, { scope, detection, shadowUrl: flags.shadowUrl, texts: projectFiles.map((f) => f.text) });
  try {
    for (const rename of renames) {
      // A typo must not pass for a decision: the pair is then planned as drop and create (refused without --allow-drop).
      if (!sides.from.model.facts[rename.from] || !sides.to.model.facts[rename.to]) reporter.warn(`--rename ${rename.from} → ${rename.to}: ${!sides.from.model.facts[rename.from] ? `no ${rename.from} in ${sides.from.label}` : `no ${rename.to} in ${sides.to.label}`}; ignored`);
    }
    const options = { allowDrop: Boolean(flags.allowDrop), renames: [...renames], online: true };
    let plan = planDiff(sides.from.model, sides.to.model, options);
    const declined: RenameCandidate[] = [];
    if (plan.renameCandidates.length > 0 && flags.confirmRename) {
      for (const candidate of plan.renameCandidates) {
        if (await flags.confirmRename(candidate)) options.renames.push({ from: candidate.from, to: candidate.to });
        else declined.push(candidate);
      }
      if (options.renames.length > renames.length) plan = planDiff(sides.from.model, sides.to.model, options);
    }
    const candidates = plan.renameCandidates.filter((c) => !declined.some((d) => d.from === c.from && d.to === c.to));
    const label = { from: sides.from.label, to: sides.to.label };
    const doc = (result: Partial<DiffResult>, ok: boolean) =>
      resultDoc("diff", { ...label, statements: plan.statements.map(statementDoc), summary: summaryLines(plan.statements), files: [], written: false, dryRun, proven: null, differences: [], unsupported: plan.unsupported, refusedDrops: plan.refusedDrops.map((s) => s.key), renameCandidates: candidates, ...result }, warnings, ok);
    const refusal = refusalOf(plan, candidates, flags);
    if (refusal) return doc(refusal, false);
    if (plan.statements.length === 0 && plan.unsupported.length === 0) return doc({ proven: true }, true);
    const planned = migrationFiles(plan.statements, { title: flags.name?.trim() || "dbkit diff", name: name || "diff", source: `${label.from} → ${label.to}`, unsupported: plan.unsupported });
    const files = await namedFiles(settings, folder.format, planned, flags.name?.trim() || "dbkit diff");
    const verdict = proofVerdict(sides.prove ? await sides.prove(files.map((f) => f.proof)) : undefined, plan.unsupported, label.to);
    const filesDoc = files.map((f) => ({ path: f.proof.path, noTransaction: f.planned.noTransaction, sql: f.content }));
    if (verdict.proven === false) {
      return doc({ files: filesDoc, proven: false, differences: verdict.differences, refused: verdict.refused!, hint: "nothing was written: this is a gap in dbkit diff; write the migration by hand (dbkit new) and check it with dbkit verify" }, false);
    }
    const notProvenReason = verdict.proven === null ? `the current state is a database (${label.from}): only a state dbkit can build (the migrations) can be proven` : undefined;
    if (!dryRun) {
      for (const f of files) {
        await mkdir(path.dirname(f.absolutePath), { recursive: true });
        await writeFile(f.absolutePath, f.content, { flag: "wx" });
      }
    }
    return doc({ files: filesDoc, written: !dryRun, proven: verdict.proven, ...(notProvenReason ? { notProvenReason } : {}) }, true);
  } finally {
    await sides.close();
  }
}

/** Why the plan cannot be written as it is (exit 5), or undefined. */
function refusalOf(plan: DiffPlan, candidates: RenameCandidate[], flags: DiffFlags): Partial<DiffResult> | undefined {
  if (candidates.length > 0 && !flags.allowDrop) {
    return {
      refused: `${candidates.length} object(s) look renamed: ${candidates.map((c) => `${c.from} → ${c.to}`).join(", ")}`,
      hint: `say which with ${candidates.map(renameHint).join(" ")}, or --allow-drop to drop and create them (their data is lost)`,
    };
  }
  if (plan.refusedDrops.length > 0) {
    return { refused: `the change loses data: ${[...new Set(plan.refusedDrops.map((s) => s.key))].join(", ")}`, hint: "review it, then run again with --allow-drop (each such statement is marked in the file)" };
  }
  if (plan.unsupported.length > 0 && !flags.allowIncomplete) {
    return { refused: `dbkit diff cannot write ${plan.unsupported.length} change(s): ${plan.unsupported.map((u) => `${u.key} (${u.reason})`).join("; ")}`, hint: "write those by hand; --allow-incomplete writes the rest with them listed as comments at the top" };
  }
  return undefined;
}

function statementDoc(statement: DiffPlan["statements"][number]): DiffStatementDoc {
  return { sql: statement.sql, object: statement.key, action: statement.action, hazard: statement.hazards[0] ?? null, hazards: statement.hazards, phase: statement.phase };
}

/** Writes the migration that turns the current state into the desired one, once proven; `ok` is false when refused. */
export async function diff(options: DbkitOptions & DiffFlags = {}): Promise<DiffReport> {
  return withApiRun(options, (settings, run) => diffWith(settings, run, options));
}

export type DiffCommandFlags = Omit<DiffFlags, "name" | "confirmRename">;

export async function diffCommand({ settings, output, run }: CommandContext, words: string[], flags: DiffCommandFlags): Promise<number> {
  for (const url of [flags.fromUrl, flags.toUrl, flags.shadowUrl]) if (url) output.addSecrets(url);
  const name = words.join(" ").trim();
  // A person at a terminal says whether a table or column was renamed; a script must say it with --rename.
  const confirmRename = output.interactive && !runningInCi()
    ? async (candidate: Parameters<NonNullable<DiffFlags["confirmRename"]>>[0]) => {
        const answer = await output.ask(`was ${candidate.from.slice(candidate.from.indexOf(" ") + 1)} renamed to ${candidate.to.slice(candidate.to.indexOf(" ") + 1)}? [y/N] (${renameHint(candidate)}) `);
        return /^y(es)?$/i.test(answer.trim());
      }
    : undefined;
  const report = await diffWith(settings, run, { ...flags, ...(name ? { name } : {}), ...(confirmRename ? { confirmRename } : {}) });
  if (report.dryRun) {
    // The SQL alone on stdout (it pipes into psql): the summary, a refusal, "nothing to change" go to stderr.
    for (const line of renderDiff(report, output.paint).split("\n")) output.info(line);
    output.result(report, () => (report.ok ? renderDiffSql(report) : ""));
  } else output.result(report, () => renderDiff(report, output.paint));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
