/**
 * Seed data checks for `verify`: the rows the migrations and seeds put in a fresh database must
 * be in the live one. Rows are matched by a key whose values the SQL itself gives (a primary key
 * or unique constraint without a generated default); a missing row is drift, a row whose other
 * values differ is a warning (admins may edit settings in production).
 */
export interface SeedTable {
  /** `schema.table` */
  table: string;
  keyColumns: string[];
  /** Columns compared besides the key: those without generated defaults (ids, timestamps). */
  compareColumns: string[];
  rows: Record<string, unknown>[];
}

export type SeedFinding =
  | { kind: "missing"; table: string; key: Record<string, unknown> }
  | { kind: "differs"; table: string; key: Record<string, unknown>; columns: { column: string; expected: unknown; actual: unknown }[] }
  | { kind: "unverifiable"; table: string; reason: string };

const GENERATED_DEFAULT = /nextval\(|gen_random_uuid\(|uuid_generate_|now\(\)|current_timestamp|clock_timestamp\(|statement_timestamp\(|transaction_timestamp\(|random\(|localtimestamp|current_date/i;

/** True when a column's value comes from its default and differs run to run. */
export function isGeneratedColumn(column: { default: string | null; identity: string | null; generated: string | null }): boolean {
  return Boolean(column.identity) || Boolean(column.generated) || (column.default !== null && GENERATED_DEFAULT.test(column.default));
}

/** The first candidate key (primary key first) none of whose columns is generated. */
export function chooseKey(candidates: readonly string[][], generated: ReadonlySet<string>): string[] | undefined {
  return candidates.find((columns) => columns.length > 0 && columns.every((column) => !generated.has(column)));
}

export function keyOf(row: Record<string, unknown>, columns: readonly string[]): string {
  return JSON.stringify(columns.map((column) => row[column] ?? null));
}

export function compareSeedRows(expected: readonly SeedTable[], actual: ReadonlyMap<string, Record<string, unknown>[]>): SeedFinding[] {
  const findings: SeedFinding[] = [];
  for (const table of expected) {
    const live = new Map((actual.get(table.table) ?? []).map((row) => [keyOf(row, table.keyColumns), row]));
    let nullKeyed = 0;
    for (const row of table.rows) {
      // A unique constraint holds any number of rows with a NULL in it: such a row is not found by it.
      if (table.keyColumns.some((column) => row[column] === null || row[column] === undefined)) {
        nullKeyed++;
        continue;
      }
      const key = Object.fromEntries(table.keyColumns.map((column) => [column, row[column] ?? null]));
      const found = live.get(keyOf(row, table.keyColumns));
      if (!found) {
        findings.push({ kind: "missing", table: table.table, key });
        continue;
      }
      const columns = table.compareColumns
        .filter((column) => JSON.stringify(row[column] ?? null) !== JSON.stringify(found[column] ?? null))
        .map((column) => ({ column, expected: row[column] ?? null, actual: found[column] ?? null }));
      if (columns.length > 0) findings.push({ kind: "differs", table: table.table, key, columns });
    }
    if (nullKeyed > 0) {
      findings.push({ kind: "unverifiable", table: table.table, reason: `${nullKeyed} seeded row(s) with NULL in the unique key (${table.keyColumns.join(", ")}) cannot be matched` });
    }
  }
  return findings;
}

/**
 * Drops what the SQL does not give literally, since the scratch build and the target computed it
 * each at its own time. A `missing` row whose key is not given: a migration that inserts `select
 * gen_random_uuid()::text, ...` gives the scratch build one key and the target another, so the row
 * cannot be matched, and its absence under the scratch key is no drift. A `differs` column whose
 * expected value is not given: `INSERT ... VALUES ('free', NOW())` sets a time that is the build's,
 * not the target's. A value counts as given when it appears in the SQL (strings also with ''
 * quoting, date-times also with a space for the T).
 */
export function withoutUnmatchableRows(findings: readonly SeedFinding[], sources: readonly string[]): SeedFinding[] {
  const given = (value: unknown) => {
    if (value === null || value === undefined || typeof value === "boolean") return true;
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    const forms = [text, text.replace(/'/g, "''"), ...(/^\d{4}-\d\d-\d\dT/.test(text) ? [text.replace("T", " ")] : [])];
    return sources.some((source) => forms.some((form) => source.includes(form)));
  };
  return findings.flatMap((f): SeedFinding[] => {
    if (f.kind === "missing") return Object.values(f.key).every(given) ? [f] : [];
    if (f.kind !== "differs") return [f];
    const columns = f.columns.filter((column) => given(column.expected));
    return columns.length > 0 ? [{ ...f, columns }] : [];
  });
}
