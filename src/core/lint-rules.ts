/**
 * The lint rules: findings from what each pending statement measurably did (StatementFacts) to
 * relations that existed before this deploy. Each rule has a stable code, a level, why it matters
 * and the safe rewrite. Tables created in the same deploy never raise a finding.
 */
import type { StatementFacts } from "./lint-facts.js";
import type { PolicyCheckCode } from "./lint-policies.js";

/** The codes of Supabase's database advisor checks lint makes after the pending files. */
export type AdvisorCode =
  | PolicyCheckCode
  | "table-without-primary-key"
  | "foreign-key-without-index"
  | "duplicate-index"
  | "view-without-security-invoker"
  | "materialized-view-in-api"
  | "extension-in-public";

/** Levels that can fail a run (`--fail-on`). */
export type LintLevel = "error" | "warn";
/** A finding's level: `info` when sizing shows the table is too small to matter. */
export type FindingLevel = LintLevel | "info";

export interface LintRule {
  level: LintLevel;
  why: string;
  fix: string;
}

/** Every rule, by its stable code (documented in the README). */
export const LINT_RULES = {
  "index-without-concurrently": {
    level: "error",
    why: "CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits",
    fix: "CREATE INDEX CONCURRENTLY in a file of its own with `-- dbkit:no-transaction`",
  },
  "drop-index-without-concurrently": {
    level: "warn",
    why: "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: it queues behind running queries and every query queues behind it",
    fix: "DROP INDEX CONCURRENTLY in a file of its own with `-- dbkit:no-transaction`",
  },
  "constraint-validated-under-lock": {
    level: "error",
    why: "adding a valid foreign key or check constraint scans the whole table while holding a lock that blocks writes",
    fix: "ADD CONSTRAINT ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later statement (it takes a lock that lets writes through)",
  },
  "unique-constraint-under-lock": {
    level: "error",
    why: "adding a unique or primary key constraint builds its index under an ACCESS EXCLUSIVE lock: reads and writes wait for the build",
    fix: "CREATE UNIQUE INDEX CONCURRENTLY (no-transaction file), then ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX",
  },
  "set-not-null": {
    level: "error",
    why: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
    fix: "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (Postgres 12+ skips the scan) and drop the check",
  },
  "table-rewrite": {
    level: "error",
    why: "the table (and its indexes) is rewritten under an ACCESS EXCLUSIVE lock: reads and writes wait for a copy of the whole table",
    fix: "add a new column (no volatile default), backfill it in batches, then switch over; or keep a type change binary-compatible (varchar(n) to text, a longer varchar)",
  },
  "access-exclusive-across-statements": {
    level: "warn",
    why: "the file keeps an ACCESS EXCLUSIVE lock until it commits while later statements take more locks or change data: every query on the table waits for all of them",
    fix: "split the file: the statement that takes the ACCESS EXCLUSIVE lock in a file of its own, data changes in batches in another",
  },
  "not-null-column-without-default": {
    level: "error",
    why: "a NOT NULL column with no default cannot be added to a table that has rows: the migration fails on the target although it passed on an empty database",
    fix: "add the column nullable (or with a constant default), backfill it in batches, then make it NOT NULL the safe way (see set-not-null)",
  },
  "drop-table": {
    level: "warn",
    why: "code still deployed may read or write the table; the drop cannot be undone",
    fix: "stop using the table in a release first, then drop it in a later migration",
  },
  "drop-column": {
    level: "warn",
    why: "code still deployed may select or insert the column and fail until it is redeployed",
    fix: "stop using the column in a release first (ignore it in the ORM), then drop it in a later migration",
  },
  "rename-table": {
    level: "warn",
    why: "code still deployed uses the old name and fails until it is redeployed",
    fix: "create the new table (or a view with the old name) and move over in steps, or rename together with a compatibility view",
  },
  "rename-column": {
    level: "warn",
    why: "code still deployed uses the old column name and fails until it is redeployed",
    fix: "add the new column, write both, backfill, switch reads, then drop the old column",
  },
  "platform-owned-table": {
    level: "error",
    why: "hosted Supabase owns this table: ALTER TABLE on it passes on a local database and fails on the platform (must be owner)",
    fix: "leave the table as the platform made it; policies on it (CREATE POLICY) are allowed",
  },
  "enum-value-renamed": {
    level: "warn",
    why: "code still deployed sends and compares the old label: its writes fail and its filters find nothing until it is redeployed",
    fix: "ADD VALUE the new label, move rows to it in batches, release code that uses it, and leave the old label unused (Postgres cannot drop an enum value)",
  },
} as const satisfies Record<string, LintRule>;

export type LintCode = keyof typeof LINT_RULES;

export interface LintFinding {
  /** A rule's code, a security check's (`SEC_*`, as verify --security reports it), or an advisor check's. */
  code: LintCode | `SEC_${string}` | AdvisorCode;
  level: FindingLevel;
  /** The file as the user sees it, and the statement's 1-based line. */
  file: string;
  line: number;
  message: string;
  why: string;
  fix: string;
  /** Set when `-- dbkit:allow <code> <reason>` before the statement suppresses it. */
  allowed?: string;
  /** The pre-existing table the finding is about, as `schema.name`. */
  table?: string;
  /** Its size on the target (with --url): estimated rows (null when never analyzed) and bytes. */
  size?: { rows: number | null; bytes: number };
}

/** One measured statement of a file: its line, node type, leading text and facts. */
export interface MeasuredFacts {
  line: number;
  kind: string;
  text: string;
  facts: StatementFacts;
  /** The parsed statement (libpg_query's node), for the rules that read the SQL itself. */
  node?: Record<string, unknown>;
}

/** Tables hosted Supabase owns: ALTER TABLE on them works on the local base and fails on the platform. */
const PLATFORM_OWNED = new Set(["storage.objects", "realtime.messages"]);

const STRONG_LOCKS = new Set(["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]);
const CONSTRAINT_KIND: Record<string, string> = { f: "foreign key", c: "check constraint", u: "unique constraint", p: "primary key", x: "exclusion constraint" };

/** The findings of one file's statements, in order, with `-- dbkit:allow` applied. */
export function lintFile(file: string, statements: MeasuredFacts[], inTransaction: boolean): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (statement: MeasuredFacts, code: LintCode, message: string, table?: string) => {
    const rule: LintRule = LINT_RULES[code];
    const allowed = allowReason(statement.text, code);
    findings.push({ code, level: rule.level, file, line: statement.line, message, why: rule.why, fix: rule.fix, ...(allowed === undefined ? {} : { allowed }), ...(table ? { table } : {}) });
  };
  for (const statement of statements) {
    const f = statement.facts;
    const strongOn = (table: string) => f.locks.some((lock) => lock.relation === table && STRONG_LOCKS.has(lock.mode));
    for (const index of f.newIndexes) {
      if (strongOn(index.table)) add(statement, "index-without-concurrently", `an index is built on ${index.table}, which exists before this deploy, without CONCURRENTLY`, index.table);
    }
    for (const dropped of f.droppedIndexes) {
      if (f.locks.some((lock) => lock.mode === "AccessExclusiveLock")) add(statement, "drop-index-without-concurrently", `index ${dropped.index} on ${dropped.table ?? "its table"} is dropped without CONCURRENTLY`);
    }
    for (const c of f.validated) {
      const what = `${CONSTRAINT_KIND[c.type] ?? "constraint"} ${c.name} on ${c.table}`;
      if (c.type === "f" || c.type === "c") add(statement, "constraint-validated-under-lock", `${what} is added valid: the table is scanned under lock`, c.table);
      else if (c.newIndex) add(statement, "unique-constraint-under-lock", `${what} builds its index under an ACCESS EXCLUSIVE lock`, c.table);
    }
    for (const column of f.setNotNull) add(statement, "set-not-null", `${column.table}.${column.column} becomes NOT NULL: the table is scanned under an ACCESS EXCLUSIVE lock`, column.table);
    for (const column of f.requiredColumns) add(statement, "not-null-column-without-default", `column ${column.table}.${column.column} is added NOT NULL without a default`, column.table);
    if (statement.kind !== "TruncateStmt") for (const table of f.rewritten) add(statement, "table-rewrite", `${table} is rewritten`, table);
    for (const table of f.droppedTables) add(statement, "drop-table", `table ${table} is dropped`);
    for (const column of f.droppedColumns) add(statement, "drop-column", `column ${column.table}.${column.column} is dropped`);
    for (const renamed of f.renamedTables) add(statement, "rename-table", `table ${renamed.from} is renamed to ${renamed.to}`);
    for (const renamed of f.renamedColumns) add(statement, "rename-column", `column ${renamed.table}.${renamed.from} is renamed to ${renamed.to}`);
    // Measured (the event trigger saw it, also in a DO block or a called function), or read from the statement itself.
    const relation = statement.kind === "AlterTableStmt" ? (statement.node?.relation as { schemaname?: string; relname?: string } | undefined) : undefined;
    const altered = new Set([...f.altered, ...(relation ? [`${relation.schemaname ?? "public"}.${relation.relname ?? ""}`] : [])]);
    for (const table of altered) {
      if (PLATFORM_OWNED.has(table)) add(statement, "platform-owned-table", `ALTER TABLE ${table}, which hosted Supabase owns${relation ? "" : " (run by this statement's code)"}`);
    }
    for (const renamed of f.renamedEnumValues) add(statement, "enum-value-renamed", `value '${renamed.from}' of enum ${renamed.type} is renamed to '${renamed.to}'`);
  }
  if (inTransaction) heldAcross(statements, add);
  return findings.sort((a, b) => a.line - b.line);
}

/** ACCESS EXCLUSIVE taken on a table by one statement while later statements of the same transaction take more locks. */
function heldAcross(statements: MeasuredFacts[], add: (s: MeasuredFacts, code: LintCode, message: string) => void): void {
  const first = statements.findIndex((s) => s.facts.locks.some((lock) => lock.mode === "AccessExclusiveLock" && (lock.kind === "r" || lock.kind === "p")));
  if (first === -1) return;
  const holder = statements[first]!;
  const tables = [...new Set(holder.facts.locks.filter((lock) => lock.mode === "AccessExclusiveLock" && (lock.kind === "r" || lock.kind === "p")).map((lock) => lock.relation))];
  const later = statements.slice(first + 1).find((s) => s.facts.locks.length > 0);
  if (later) add(holder, "access-exclusive-across-statements", `ACCESS EXCLUSIVE on ${tables.join(", ")} is held from here until commit, while line ${later.line} takes more locks (${later.facts.locks.map((l) => `${l.mode} on ${l.relation}`).join(", ")})`);
}

/** The reason of a `-- dbkit:allow <code> <reason>` line in the statement's leading comments. */
export function allowReason(statementText: string, code: string): string | undefined {
  for (const line of statementText.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (!trimmed.startsWith("--")) break;
    const match = /^--\s*dbkit:allow\s+(\S+)\s*(.*)$/.exec(trimmed);
    if (match && match[1] === code) return match[2]!.trim() || "(no reason given)";
  }
  return undefined;
}

/** Whether a finding fails the run at `failOn`: errors always, warnings with `warn`; allowed ones never. */
export function failsAt(finding: LintFinding, failOn: LintLevel): boolean {
  if (finding.allowed !== undefined || finding.level === "info") return false;
  return finding.level === "error" || failOn === "warn";
}
