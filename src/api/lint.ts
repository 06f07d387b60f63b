/**
 * `dbkit lint`: builds the target's applied state in a scratch database, runs the pending files
 * there statement by statement, measures what each did to the relations that existed before this
 * deploy, and turns those facts into findings. Writes nothing to the target (reads its journal).
 */
import type { Settings } from "../config/load-config.js";
import { rolesNamedIn, type BuildContext } from "../core/build-context.js";
import { touchesClusterObjects } from "../core/cluster-objects.js";
import { diffSnapshots } from "../core/lint-facts.js";
import { sizeFindings } from "../core/lint-sizing.js";
import { securityLintFindings, type PendingStatement } from "../core/lint-security.js";
import { securityFindings } from "../core/security-checks.js";
import { readTableSizes } from "../db/lint-sizes.js";
import { readAdvisorFindings } from "../db/lint-advisor.js";
import { failsAt, lintFile, type LintFinding, type LintLevel } from "../core/lint-rules.js";
import type { MigrationFile } from "../core/types.js";
import { measureFile, ProbeStatementError, readPreexisting } from "../db/lint-probe.js";
import type { TargetInfo } from "../engine/ports.js";
import { MigrationFailedError, UsageError } from "../errors.js";
import { parseStatements } from "../sql/parse-sql.js";
import { scratchBuildFailed } from "./open-scratch.js";
import { buildScratch } from "./build-scratch.js";
import { withTarget } from "./open-store.js";
import { readMigrations } from "./read-project.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { apiSettings, type DbkitOptions } from "./options.js";
import { detectSupabase } from "./supabase-base.js";

export interface LintFlags {
  /** A server to build the scratch database on, instead of a scratch embedded Postgres. */
  shadowUrl?: string;
  /** Every file is pending, from an empty database (the target's journal is not read). */
  all?: boolean;
  /** Which findings fail lint: "error" (default) or "warn" and above. */
  failOn?: LintLevel;
}

export interface LintResult {
  target: TargetInfo;
  /** The files linted (pending, or every file with --all). */
  files: string[];
  findings: LintFinding[];
  /** How many findings fail the run at the chosen --fail-on. */
  failing: number;
  failOn: LintLevel;
}

export type LintReport = ResultDoc<"lint", LintResult>;

/** Schemas the Supabase API serves, which the security checks cover (as verify --security). */
const API_SCHEMAS = ["public"];

/** Lints the pending files (every file with `all`); `ok` is false when a finding fails at `failOn`. */
export async function lintWith(settings: Settings, base: Reporter, flags: LintFlags = {}): Promise<LintReport> {
  const failOn = flags.failOn ?? "error";
  if (failOn !== "warn" && failOn !== "error") throw new UsageError("DBKIT_USAGE", `--fail-on ${String(failOn)}: use warn or error`);
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  const detection = await detectSupabase(settings, files);
  return withTarget(settings, reporter, {}, async (db, { embeddedUrl }) => {
    const journal = flags.all ? undefined : await db.journal.readJournal();
    const applied = new Set((journal ?? []).filter((row) => row.status === "applied").map((row) => row.name));
    const before = files.filter((file) => applied.has(file.name));
    const pending = files.filter((file) => !applied.has(file.name));
    const result = (findings: LintFinding[]) => {
      const failing = findings.filter((finding) => failsAt(finding, failOn)).length;
      return resultDoc("lint", { target: db.target, files: pending.map((file) => file.path), findings, failing, failOn }, warnings, failing === 0);
    };
    if (pending.length === 0) {
      reporter.info("no pending migrations to lint (--all lints every file)");
      return result([]);
    }
    const facts = await db.catalog.readTargetFacts();
    const context: BuildContext = { settings: facts.settings, roles: rolesNamedIn(files.map((f) => f.text), facts.roles) };
    reporter.info(`building the ${before.length} applied migrations in a scratch database, then measuring ${pending.length} pending`);
    const targetServer = embeddedUrl ? { url: embeddedUrl, exact: !files.some((f) => touchesClusterObjects(f.text)) } : undefined;
    const scratch = await buildScratch(settings, reporter, {
      shadowUrl: flags.shadowUrl,
      targetMajor: facts.major,
      context,
      ...(targetServer ? { targetServer } : {}),
      files: before,
      projectFiles: files,
      detection,
      failed: (error, { major }) => scratchBuildFailed(error, major, Boolean(flags.shadowUrl)),
    });
    const sessionSettings = scratch.sessionSettings;
    try {
      const sql = scratch.db.session.sql;
      const preexisting = await readPreexisting(sql, settings.journalSchema);
      // The security checks of verify --security and the advisor's, before and after: what the pending files introduce.
      const security = async () => [
        ...securityFindings(await scratch.db.catalog.readSecurity(API_SCHEMAS), detection.supabase),
        ...(await readAdvisorFindings(sql, settings.schemas ?? API_SCHEMAS, preexisting)),
      ];
      const securityBefore = await security();
      const findings: LintFinding[] = [];
      const statements: PendingStatement[] = [];
      for (const file of pending) findings.push(...(await lintOne(sql, file, preexisting, sessionSettings, statements)));
      findings.push(...securityLintFindings(securityBefore, await security(), statements));
      const order = new Map(pending.map((file, index) => [file.path, index]));
      findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
      if (db.target.embedded) return result(findings);
      // Against a real target: how big the touched tables are there decides what a scan or rewrite costs.
      const tables = [...new Set(findings.flatMap((finding) => (finding.table ? [finding.table] : [])))];
      return result(sizeFindings(findings, await db.session.run(() => readTableSizes(db.session.sql, tables))));
    } finally {
      await scratch.close();
    }
  });
}

/** Lints the pending files (every file with `all`) in a scratch database; the document `dbkit lint --json` prints. */
export async function lint(options: DbkitOptions & LintFlags = {}): Promise<LintReport> {
  const { settings, reporter } = apiSettings(options);
  return lintWith(settings, reporter, options);
}

async function lintOne(sql: Parameters<typeof measureFile>[0], file: MigrationFile, preexisting: number[], settings: Readonly<Record<string, string>>, seen: PendingStatement[]): Promise<LintFinding[]> {
  const parsed = await parseStatements(file.text);
  if (!parsed.ok) throw new MigrationFailedError("DBKIT_LINT_SYNTAX", `${file.path}:${parsed.location.line}: ${parsed.message}`, { hint: "fix the syntax error; lint runs each statement as migrate would" });
  seen.push(...parsed.statements.map((statement) => ({ file: file.path, line: statement.line, text: statement.text })));
  const inTransaction = !file.directives.noTransaction;
  const measured = await measureFile(sql, parsed.statements, { inTransaction, preexisting, settings }).catch((error: unknown) => {
    if (!(error instanceof ProbeStatementError)) throw error;
    throw new MigrationFailedError("DBKIT_LINT_FILE_FAILED", `${file.path}:${error.statement.line}: ${error.message} (in lint's scratch database, after the applied migrations)`, {
      hint: "the pending file fails on the applied state: migrate would fail the same way; fix the file",
    });
  });
  const statements = measured.map((m) => ({ line: m.statement.line, kind: m.statement.kind, text: m.statement.text, node: m.statement.node, facts: diffSnapshots(m.before, m.after) }));
  return lintFile(file.path, statements, inTransaction);
}
