/**
 * Sizing against the real target (--url): a finding that costs time in proportion to the table
 * (a scan, a rewrite, an index build) on a table too small to matter becomes `info`; an added
 * NOT NULL column without a default is harmless only on an empty table.
 */
import type { LintFinding } from "./lint-rules.js";

export interface TableSize {
  /** pg_class.reltuples; null when the table was never analyzed. */
  rows: number | null;
  pages: number;
  bytes: number;
}

/** Below both, a scan or rewrite takes milliseconds. */
export const SMALL_ROWS = 10_000;
export const SMALL_BYTES = 10 * 1024 * 1024;

const SCALES_WITH_SIZE = new Set(["index-without-concurrently", "constraint-validated-under-lock", "unique-constraint-under-lock", "set-not-null", "table-rewrite"]);

/** Findings with the target's size of their table, and their level where the size decides it. */
export function sizeFindings(findings: LintFinding[], sizes: ReadonlyMap<string, TableSize>): LintFinding[] {
  return findings.map((finding) => {
    const size = finding.table === undefined ? undefined : sizes.get(finding.table);
    if (!size) return finding;
    const sized: LintFinding = { ...finding, size: { rows: size.rows, bytes: size.bytes }, message: `${finding.message} (${describeSize(size)} on the target)` };
    const small = size.rows !== null && size.rows < SMALL_ROWS && size.bytes < SMALL_BYTES;
    const empty = size.pages === 0 && (size.rows === null || size.rows <= 0);
    if (SCALES_WITH_SIZE.has(finding.code) && small) return { ...sized, level: "info" };
    if (finding.code === "not-null-column-without-default" && empty) return { ...sized, level: "info" };
    return sized;
  });
}

function describeSize(size: TableSize): string {
  const rows = size.rows === null ? "never analyzed" : `~${Math.round(size.rows).toLocaleString("en-US")} rows`;
  const units = ["B", "kB", "MB", "GB", "TB"];
  let bytes = size.bytes;
  let unit = 0;
  while (bytes >= 1024 && unit < units.length - 1) {
    bytes /= 1024;
    unit++;
  }
  return `${rows}, ${unit === 0 ? bytes : bytes.toFixed(1)} ${units[unit]}`;
}
