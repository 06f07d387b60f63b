/** Journal rows as the database returns them, and as dbkit uses them. */
import type { JournalRow } from "../core/types.js";

export interface RawRow {
  name: string;
  version: string;
  kind: "migration" | "seed";
  checksum: string;
  status: JournalRow["status"];
  applied_at: Date;
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
    appliedAt: row.applied_at,
    executionMs: row.execution_ms,
    appliedBy: row.applied_by,
    dbkitVersion: row.dbkit_version,
    error: row.error,
  };
}

/** The rows of the last statement of a simple query (postgres.js returns one result per statement). */
export function lastRow<T>(results: unknown): T | undefined {
  const list = results as unknown[];
  const last = list.length > 0 && Array.isArray(list[0]) ? (list[list.length - 1] as unknown[]) : list;
  return last[0] as T | undefined;
}
