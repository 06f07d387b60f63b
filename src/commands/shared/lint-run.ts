/**
 * The measured lint of a set of pending files, on an open target: builds the files the target's
 * journal has applied in a scratch database, runs the pending ones there statement by statement,
 * and returns the findings. Used by `dbkit lint` and by the lint section of `migrate --dry-run`
 * and `status --lint`. Writes nothing to the target.
 */
import type { Settings } from "../../config/load-config.js";
import { rolesNamedIn, type BuildContext } from "../../core/build-context.js";
import { touchesClusterObjects } from "../../core/cluster-objects.js";
import { diffSnapshots } from "../../core/lint-facts.js";
import { sizeFindings } from "../../core/lint-sizing.js";
import { securityLintFindings, type PendingStatement } from "../../core/lint-security.js";
import { securityFindings } from "../../core/security-checks.js";
import type { SupabaseDetection } from "../../core/supabase-project.js";
import { readTableSizes } from "../../db/lint-sizes.js";
import { readAdvisorFindings } from "../../db/lint-advisor.js";
import { readApiAdvisorFindings } from "../../db/lint-advisor-api.js";
import { lintFile, type LintFinding } from "../../core/lint-rules.js";
import type { MigrationFile } from "../../core/types.js";
import type { Database } from "../../db/database.js";
import { installDdlCapture } from "../../db/lint-ddl-capture.js";
import { measureFile, ProbeStatementError, readPreexisting } from "../../db/lint-probe.js";
import { MigrationFailedError } from "../../errors.js";
import { parseStatements } from "../../sql/parse-sql.js";
import { buildScratch } from "./build-scratch.js";
import { scratchBuildFailed } from "./open-scratch.js";
import type { Run } from "./run.js";

export interface LintRunInput {
  /** Every migration file of the project, in order. */
  files: MigrationFile[];
  /** The files applied before the pending ones (built first, unmeasured). */
  before: MigrationFile[];
  /** The files to measure, in order. */
  pending: MigrationFile[];
  detection: SupabaseDetection;
  /** A server for the scratch database (--shadow-url); default: a scratch embedded Postgres. */
  shadowUrl?: string | undefined;
  /** The embedded target's server, when the target is the embedded database. */
  embeddedUrl?: string | undefined;
}

/** Schemas the Supabase API serves, which the security checks cover (as verify --security). */
const API_SCHEMAS = ["public"];

/** The findings of the pending files, in file and line order (sized against the target when it is not the embedded one). */
export async function lintPendingFiles(settings: Settings, reporter: Run, db: Database, input: LintRunInput): Promise<LintFinding[]> {
  const { files, before, pending, detection } = input;
  const facts = await db.catalog.readTargetFacts();
  const context: BuildContext = { settings: facts.settings, roles: rolesNamedIn(files.map((f) => f.text), facts.roles) };
  reporter.info(`building the ${before.length} applied migrations in a scratch database, then measuring ${pending.length} pending`);
  const targetServer = input.embeddedUrl ? { url: input.embeddedUrl, exact: !files.some((f) => touchesClusterObjects(f.text)) } : undefined;
  const scratch = await buildScratch(settings, reporter, {
    shadowUrl: input.shadowUrl,
    targetMajor: facts.major,
    context,
    ...(targetServer ? { targetServer } : {}),
    files: before,
    projectFiles: files,
    detection,
    failed: (error, { major }) => scratchBuildFailed(error, major, Boolean(input.shadowUrl)),
  });
  const sessionSettings = scratch.sessionSettings;
  try {
    const sql = scratch.db.session.sql;
    const preexisting = await readPreexisting(sql, settings.journalSchema);
    if (!(await installDdlCapture(sql, settings.journalSchema))) {
      reporter.warn("the scratch server refused an event trigger (it needs a superuser): ALTER TABLE on platform-owned tables is found only in top-level statements, not inside DO blocks or functions");
    }
    // The security checks of verify --security and the advisor's, before and after: what the pending files introduce.
    const security = async () => [
      ...securityFindings(await scratch.db.catalog.readSecurity(API_SCHEMAS), detection.supabase),
      ...(await readAdvisorFindings(sql, settings.schemas ?? API_SCHEMAS, preexisting)),
      ...(await readApiAdvisorFindings(sql, { schemas: settings.schemas ?? API_SCHEMAS, exposed: API_SCHEMAS, supabase: detection.supabase })),
    ];
    const securityBefore = await security();
    const findings: LintFinding[] = [];
    const statements: PendingStatement[] = [];
    for (const file of pending) findings.push(...(await lintOne(sql, file, preexisting, sessionSettings, statements)));
    findings.push(...securityLintFindings(securityBefore, await security(), statements));
    const order = new Map(pending.map((file, index) => [file.path, index]));
    findings.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
    if (db.target.embedded) return findings;
    // Against a real target: how big the touched tables are there decides what a scan or rewrite costs.
    const tables = [...new Set(findings.flatMap((finding) => (finding.table ? [finding.table] : [])))];
    return sizeFindings(findings, await db.session.run(() => readTableSizes(db.session.sql, tables)));
  } finally {
    await scratch.close();
  }
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
