import { lookupInOrder } from "./lookup-in-order.js";
import { compareMigrations, compareVersions, inMigrationOrder } from "./migration-name.js";
import type { JournalRow, MigrationFile } from "./types.js";

export type EntryState = "applied" | "pending" | "changed" | "missing" | "failed" | "running";

/** One migration as `status` shows it: a file, a journal row, or both. */
export interface PlanEntry {
  name: string;
  version: string;
  state: EntryState;
  file?: MigrationFile;
  row?: JournalRow;
}

/** What the journal and the files say together, and what `migrate` would do. */
export interface MigrationPlan {
  /** Every file and every journal row, in migration order. */
  entries: PlanEntry[];
  /** Files to apply, in order (after `--to`). */
  toApply: MigrationFile[];
  /** Applied files whose content changed since. */
  changed: PlanEntry[];
  /** Journal rows whose file is gone. */
  missing: PlanEntry[];
  /** Rows left `failed` or `running` (a no-transaction file): they block until resolved. */
  unresolved: PlanEntry[];
  /** Pending files that sort before the newest applied migration. */
  outOfOrder: PlanEntry[];
}

/**
 * Compares files with journal rows. Pending is a set difference (a file whose name is not in
 * the journal), never "newer than the last applied".
 */
export function planMigrations(files: readonly MigrationFile[], rows: readonly JournalRow[]): MigrationPlan {
  // Each row is claimed by the file of its name; what is left has no file. The journal usually lists
  // its rows in the files' order (see lookupInOrder). (Plain loops: a no-op run plans thousands of
  // entries in code not yet optimised.)
  const claimed = new Uint8Array(rows.length);
  const rowOf = lookupInOrder(rows.length, (index) => rows[index]!.name);
  const entries: PlanEntry[] = [];
  for (const file of files) {
    const at = rowOf(file.name);
    const row = at >= 0 && claimed[at] === 0 ? rows[at] : undefined;
    if (row) claimed[at] = 1;
    entries.push(row ? { name: file.name, version: file.version, state: stateOf(file, row), file, row } : { name: file.name, version: file.version, state: "pending", file });
  }
  let unclaimed = 0;
  for (const [index, row] of rows.entries()) {
    if (claimed[index] === 1) continue;
    entries.push({ name: row.name, version: row.version, state: row.status === "applied" ? "missing" : row.status, row });
    unclaimed++;
  }
  // Files come in migration order (as the folder reader gives them): sorted only when rows without a file joined them, or they did not.
  if (unclaimed > 0 || !inMigrationOrder(entries)) entries.sort(compareMigrations);

  const pending = entries.filter((entry) => entry.state === "pending");
  // Only pending files can be out of order: without them, the newest row is not looked for.
  const newestRecorded =
    pending.length === 0
      ? undefined
      : rows.reduce<JournalRow | undefined>(
          // Repeatables (version "") run after every versioned file: they set no order.
          (newest, row) => (row.version !== "" && (newest === undefined || compareMigrations(row, newest) > 0) ? row : newest),
          undefined,
        );
  return {
    entries,
    toApply: pending.map((entry) => entry.file!),
    changed: entries.filter((entry) => entry.state === "changed"),
    missing: entries.filter((entry) => entry.state === "missing"),
    unresolved: entries.filter((entry) => entry.state === "failed" || entry.state === "running"),
    outOfOrder: newestRecorded ? pending.filter((entry) => compareMigrations(entry, newestRecorded) < 0) : [],
  };
}

function stateOf(file: MigrationFile, row: JournalRow | undefined): EntryState {
  if (!row) return "pending";
  if (row.status !== "applied") return row.status;
  // A Flyway repeatable runs again whenever its content changes: that is its purpose, not drift.
  return row.checksum === file.checksum ? "applied" : file.repeatable ? "pending" : "changed";
}

export type TargetResult =
  | { kind: "found"; toApply: MigrationFile[] }
  | { kind: "already-applied"; name: string }
  | { kind: "unknown" };

/**
 * Limits the files to apply to those up to and including `target`: a migration name, or a
 * version (every file of that version). Unknown and already-applied targets are reported.
 */
export function limitToTarget(plan: MigrationPlan, target: string): TargetResult {
  const byName = plan.entries.find((entry) => entry.name === target || `${entry.name}.sql` === target);
  const byVersion = plan.entries.filter((entry) => /^\d+(\.\d+)*$/.test(target) && entry.version !== "" && compareVersions(entry.version, target) === 0);
  const last = byName ?? byVersion.at(-1);
  if (!last) return { kind: "unknown" };
  const toApply = plan.toApply.filter((file) => compareMigrations(file, last) <= 0);
  if (toApply.length === 0 && last.state !== "pending") return { kind: "already-applied", name: last.name };
  return { kind: "found", toApply };
}
