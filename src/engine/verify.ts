/** `verify`: is this database exactly what the migrations and seeds say it should be? Reads only. */
import { comparableAcrossMajors } from "../core/across-majors.js";
import { countByCategory, diffCatalogs, type Difference } from "../core/catalog.js";
import { withoutTables } from "../core/history-tables.js";
import { TOOLS } from "../core/other-tools.js";
import { planMigrations } from "../core/plan.js";
import { compareSeedRows, withoutUnmatchableRows } from "../core/seed-data.js";
import { planSeeds } from "../core/seed-plan.js";
import type { MigrationFile, SeedFile } from "../core/types.js";
import { securityFindings } from "../core/security-checks.js";
import { buildSections, catalogFindings, historyFindings, securityReportFindings, seedDataFindings, type Finding, type Section } from "../core/verify-report.js";
import { definitionSites, siteOf, type VerifyAnalysis, type VerifyScope } from "../core/verify-scope.js";
import { comparableViewQuery } from "../core/view-query.js";
import { parseStatements } from "../sql/parse-sql.js";
import { parseFiles } from "./parse-files.js";
import { analyseMigrations } from "./verify-analysis.js";
import type { CatalogReader, ExpectedState, TargetState } from "./ports.js";
import type { OnEvent } from "./events.js";

export interface VerifyPorts {
  /** Memoises the analysis of the migrations (the cache in .dbkit/); without it, every run parses them. */
  analysis?(compute: () => Promise<VerifyAnalysis>): Promise<VerifyAnalysis>;
  /** The schema the migrations build (from a scratch database, or the cache). */
  expected(scope: VerifyScope): Promise<ExpectedState & { cached: boolean }>;
  /** The live database's journal, catalog and seed rows, read in one read-only transaction. */
  target(scope: VerifyScope, expected: ExpectedState, security?: { exposedSchemas: string[] }): Promise<TargetState>;
}

/** The security section: which schemas the API exposes, and from which level findings fail. */
export interface SecurityOptions {
  exposedSchemas: string[];
  failOn: "warn" | "error";
  /** False for a project that is not a Supabase one: only the checks that hold without an API. */
  api?: boolean;
}

export interface VerifyOptions {
  files: MigrationFile[];
  seeds: SeedFile[];
  schemas?: string[];
  journalSchema: string;
  /** The seeds' SQL, where a seeded row's key may be written. */
  seedTexts?: string[];
  /** A Supabase project: a platform schema it does not create is never its own. */
  supabase?: boolean;
  /** Adds the Security section (Supabase projects, --security). */
  security?: SecurityOptions;
}

export interface VerifyResult {
  ok: boolean;
  sections: Section[];
  findings: Finding[];
  /** True when the expected schema came from the cache in .dbkit/. */
  cached: boolean;
  /** The Postgres majors that built the expected schema and that run the target. */
  majors?: { expected: number | null; target: number | null };
}

export async function runVerify(ports: VerifyPorts, onEvent: OnEvent, options: VerifyOptions): Promise<VerifyResult> {
  const analyse = () => analyseMigrations(options.files, options.schemas, options.journalSchema, options.supabase ?? false);
  const { scope, sites: siteEntries, unparsed } = await (ports.analysis ? ports.analysis(analyse) : analyse());
  for (const { path, message } of unparsed) onEvent({ type: "warning", message: `${path} does not parse with the bundled parser (${message}); objects it defines are not attributed to it` });
  const sites = new Map(siteEntries);
  const expected = await ports.expected(scope);
  const target = leaveOutOtherToolTables(expected, await ports.target(scope, expected, options.security), onEvent);

  const journal = target.journal ?? [];
  const plan = planMigrations(options.files, journal.filter((row) => row.kind === "migration"));
  const seedPlan = planSeeds(options.seeds, journal);
  const findings = [
    ...historyFindings(plan, seedPlan),
    ...catalogFindings(await withoutPrintedViewDifferences(diffCatalogs(...comparableAcrossMajors(expected.catalog, target.catalog, expected.major, target.major), (key) => siteOf(key, sites)))),
    ...seedDataFindings([
      ...expected.seedFindings,
      // Rows hidden by row-level security are not checkable, not missing.
      ...(target.hiddenByRowSecurity ?? []).map((hidden) => ({ kind: "unverifiable" as const, ...hidden })),
      ...withoutUnmatchableRows(compareSeedRows(checkableSeedTables(expected, target), target.liveRows), [...options.files.map((f) => f.text), ...(options.seedTexts ?? [])]),
    ]),
    ...(options.security && target.security ? securityReportFindings(securityFindings(target.security), options.security.failOn, (key) => siteOf(key, sites)) : []),
  ];
  if (!target.journal) findings.unshift({ section: "History", level: "error", mark: "!", object: options.journalSchema, message: "no dbkit journal: this database was never migrated by dbkit" });

  const counts = countByCategory(expected.catalog);
  const rls = expected.catalog.objects.filter((o) => o.category === "rls" && o.props.enabled).length;
  const seedRows = expected.seedTables.reduce((sum, table) => sum + table.rows.length, 0);
  const sections = buildSections(findings, {
    History: `${options.files.length} migrations, ${options.seeds.length} seeds`,
    Schemas: `${counts.schemas} schemas, ${counts.extensions} extensions`,
    Types: `${counts.types} types`,
    Tables: `${counts.tables} tables, ${counts.columns} columns, ${counts.constraints} constraints`,
    Views: `${counts.views} views`,
    Functions: `${counts.functions} functions`,
    Indexes: `${counts.indexes} indexes`,
    Triggers: `${counts.triggers} triggers, ${counts.rules} rules, ${counts.eventTriggers} event triggers`,
    "RLS Policies": `${rls} tables with RLS, ${counts.policies} policies`,
    Privileges: `${counts.privileges} grants`,
    Publications: `${counts.publications} publications and publication tables`,
    Comments: `${counts.comments} comments`,
    "Seed Data": `${seedRows} rows in ${expected.seedTables.length} tables`,
    ...(options.security ? { Security: SECURITY_CHECKED } : {}),
  });
  return { ok: !findings.some((f) => f.level === "error"), sections, findings, cached: expected.cached, majors: { expected: expected.major ?? null, target: target.major ?? null } };
}

/**
 * Another tool's history table (left by the tool the project moved from, `dbkit import`) is that
 * tool's bookkeeping, not a difference from the migrations; unless the migrations create it.
 */
function leaveOutOtherToolTables(expected: ExpectedState, target: TargetState, onEvent: OnEvent): TargetState {
  const inTarget = new Set(target.catalog.objects.filter((object) => object.category === "tables").map((object) => object.key));
  const expectedTables = new Set(expected.catalog.objects.filter((object) => object.category === "tables").map((object) => object.key));
  const left = (target.otherToolTables ?? []).filter(({ table }) => inTarget.has(`table ${table}`) && !expectedTables.has(`table ${table}`));
  if (left.length === 0) return target;
  for (const { tool, table } of left) onEvent({ type: "info", message: `left out ${table}: ${TOOLS[tool].label}'s history table, not created by the migrations` });
  return { ...target, catalog: withoutTables(target.catalog, left.map(({ table }) => table)) };
}

/**
 * Drops view definitions that differ only in how another Postgres major prints the same query
 * (the scratch server and the target need not share a major).
 */
async function withoutPrintedViewDifferences(differences: Difference[]): Promise<Difference[]> {
  const kept: Difference[] = [];
  for (const difference of differences) {
    if (difference.kind !== "changed" || difference.category !== "views") {
      kept.push(difference);
      continue;
    }
    const props = [];
    for (const prop of difference.props ?? []) {
      if (prop.prop !== "definition" || !(await sameViewQuery(prop.expected, prop.actual))) props.push(prop);
    }
    if (props.length > 0) kept.push({ ...difference, props });
  }
  return kept;
}

async function sameViewQuery(expected: unknown, actual: unknown): Promise<boolean> {
  if (typeof expected !== "string" || typeof actual !== "string") return false;
  const comparable = async (definition: string) => {
    const parsed = await parseStatements(definition);
    const [statement, ...more] = parsed.ok ? parsed.statements : [];
    return statement && more.length === 0 ? comparableViewQuery({ [statement.kind]: statement.node }) : undefined;
  };
  const [a, b] = await Promise.all([comparable(expected), comparable(actual)]);
  return a !== undefined && a === b;
}

const SECURITY_CHECKED = "RLS on exposed tables, permissive writes, SECURITY DEFINER functions, views on auth.users, the journal";
const SECURITY_CHECKED_WITHOUT_API = "SECURITY DEFINER functions (not a Supabase project: no API checks)";

/** `verify --security`: only the security checks, without building the expected schema. */
export async function runSecurityCheck(
  readFacts: CatalogReader["readSecurity"],
  files: MigrationFile[],
  security: SecurityOptions,
): Promise<VerifyResult> {
  const sites = definitionSites(await parseFiles(files));
  const findings = securityReportFindings(securityFindings(await readFacts(security.exposedSchemas), security.api ?? true), security.failOn, (key) => siteOf(key, sites));
  return { ok: !findings.some((f) => f.level === "error"), sections: buildSections(findings, { Security: security.api === false ? SECURITY_CHECKED_WITHOUT_API : SECURITY_CHECKED }), findings, cached: false };
}

/** The seeded tables whose rows the connecting role can see. */
function checkableSeedTables(expected: ExpectedState, target: TargetState): ExpectedState["seedTables"] {
  const hidden = new Set((target.hiddenByRowSecurity ?? []).map((entry) => entry.table));
  return hidden.size === 0 ? expected.seedTables : expected.seedTables.filter((table) => !hidden.has(table.table));
}
