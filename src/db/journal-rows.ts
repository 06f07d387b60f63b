/** Journal rows as the database returns them, and as dbkit uses them. */
import { lookupInOrder } from "../core/lookup-in-order.js";
import { isoTimeFormatter } from "../core/iso-time.js";
import type { JournalRow } from "../core/types.js";
import type { AppliedTimes } from "../engine/ports.js";

export interface RawRow {
  name: string;
  version: string;
  kind: "migration" | "seed";
  checksum: string;
  status: JournalRow["status"];
  /** Whole epoch milliseconds as int8 text (the driver leaves int8 a string). */
  applied_at_ms: string;
  execution_ms: number | null;
  error: string | null;
}

/** packedJournalSql's row. */
export interface PackedJournal {
  rows: number;
  packed: string | null;
  /** JSON object of name to error, for the rows that have one. */
  errors: string | null;
}

const PACKED_FIELDS = 7;

/** The rows of a packed journal; undefined when a name contains the separator (read the rows instead). */
export function unpackJournal({ rows, packed, errors }: PackedJournal): JournalRow[] | undefined {
  if (rows === 0 || packed === null) return [];
  const fields = packed.split("\x1f");
  if (fields.length !== rows * PACKED_FIELDS) return undefined;
  const errorOf = errors === null ? {} : (JSON.parse(errors) as Record<string, string>);
  const journal: JournalRow[] = [];
  for (let i = 0; i < fields.length; i += PACKED_FIELDS) {
    const name = fields[i]!;
    const executionMs = fields[i + 6]!;
    journal.push({
      name,
      version: fields[i + 1]!,
      kind: fields[i + 2] as JournalRow["kind"],
      checksum: fields[i + 3]!,
      status: fields[i + 4] as JournalRow["status"],
      appliedAt: new Date(Number(fields[i + 5])),
      executionMs: executionMs === "" ? null : Number(executionMs),
      error: Object.hasOwn(errorOf, name) ? errorOf[name]! : null,
    });
  }
  return journal;
}

/**
 * journalSummarySql's applied times; undefined when a name contains the separator (read the rows
 * instead). Found by name in the order asked for, usually the names' own order (see lookupInOrder).
 * The server sends each time as epoch milliseconds: writing them as ISO text there (to_char) cost
 * the summary query twice as much as writing them here.
 */
export function appliedTimesOf(rows: number, packed: string | null, errors: string | null): AppliedTimes | undefined {
  const fields = rows === 0 || packed === null ? [] : packed.split("\x1f");
  if (fields.length !== rows * 3) return undefined;
  const errorOf = errors === null ? {} : (JSON.parse(errors) as Record<string, string>);
  const rowOf = lookupInOrder(rows, (index) => fields[index * 3]!);
  const isoTime = isoTimeFormatter();
  return {
    of(name) {
      const at = rowOf(name);
      if (at < 0) return undefined;
      const executionMs = fields[at * 3 + 2]!;
      return { appliedAt: isoTime(Number(fields[at * 3 + 1])), executionMs: executionMs === "" ? null : Number(executionMs), error: Object.hasOwn(errorOf, name) ? errorOf[name]! : null };
    },
  };
}

export function toJournalRow(row: RawRow): JournalRow {
  return {
    name: row.name,
    version: row.version,
    kind: row.kind,
    checksum: row.checksum,
    status: row.status,
    appliedAt: new Date(Number(row.applied_at_ms)),
    executionMs: row.execution_ms,
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
