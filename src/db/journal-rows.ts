/** Journal rows as the database returns them, and as dbkit uses them. */
import type { JournalRow } from "../core/types.js";

export interface RawRow {
  name: string;
  version: string;
  kind: "migration" | "seed";
  checksum: string;
  status: JournalRow["status"];
  /** Epoch milliseconds, fraction included; a Date keeps whole milliseconds, as the text parse did. */
  applied_at_ms: number;
  execution_ms: number | null;
  applied_by: string;
  dbkit_version: string;
  error: string | null;
}

export function toJournalRow(row: RawRow): JournalRow {
  return {
    name: row.name,
    version: row.version,
    kind: row.kind,
    checksum: row.checksum,
    status: row.status,
    appliedAt: new Date(row.applied_at_ms),
    executionMs: row.execution_ms,
    appliedBy: row.applied_by,
    dbkitVersion: row.dbkit_version,
    error: row.error,
  };
}

/**
 * The last row of a simple query's results that has `column`. postgres.js returns one result per
 * statement (or the rows alone for one statement), and files its rows under the last command
 * that completed: a COMMIT after the statement may carry them. Searching by column holds either way.
 */
export function lastRowWith<T extends object>(results: unknown, column: keyof T & string): T | undefined {
  const list = results as unknown[];
  const sets = list.length > 0 && Array.isArray(list[0]) ? (list as unknown[][]) : [list];
  for (let i = sets.length - 1; i >= 0; i--) {
    const row = sets[i]!.find((candidate) => typeof candidate === "object" && candidate !== null && column in candidate);
    if (row) return row as T;
  }
  return undefined;
}
