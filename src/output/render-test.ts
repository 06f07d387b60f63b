/** The `dbkit test` report: one line per file with pass/fail and time, then each failure at file:line. */
import { MATRIX_ROLES, type AccessMatrix } from "../core/access-matrix.js";
import type { TestFileResult } from "../core/test-failures.js";

interface MatrixShown {
  file: string;
  matrix: AccessMatrix;
  appeared: { message: string }[];
  notes: string[];
}
import type { Painter } from "./paint.js";

export function renderTest(report: { ok: boolean; failed: number; files: readonly TestFileResult[]; matrix?: MatrixShown }, p: Painter): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const badge = file.ok ? p.green("PASS") : p.red("FAIL");
    lines.push(`${badge}  ${file.file}  ${p.dim(`${file.assertions} assertion(s), ${file.ms} ms`)}`);
  }
  const failing = report.files.filter((f) => !f.ok);
  if (failing.length) lines.push("");
  for (const file of failing) {
    for (const failure of file.failures) {
      lines.push(`${p.red("✗")} ${file.file}:${failure.line}  ${failure.message}`);
      if (failure.expected !== undefined) lines.push(`    expected: ${failure.expected}`);
      if (failure.found !== undefined) lines.push(`    found:    ${failure.found}`);
    }
  }
  if (report.matrix) lines.push("", ...renderMatrix(report.matrix, p));
  const total = report.files.length;
  const matrixFailed = report.matrix?.appeared.length ? `, ${report.matrix.appeared.length} access(es) not in ${report.matrix.file}` : "";
  lines.push("", report.ok ? p.green(`${total} test file(s) passed`) : p.red(`${report.failed} of ${total} test file(s) failed${matrixFailed}`));
  return lines.join("\n");
}

/** The matrix as a table (S I U D allowed, - refused, ? not tried), then the accesses that appeared. */
function renderMatrix(shown: MatrixShown, p: Painter): string[] {
  const tables = Object.keys(shown.matrix).sort();
  const width = Math.max(5, ...tables.map((t) => t.length));
  const lines = [p.dim(`access matrix (S I U D = select insert update delete; - refused; ? not tried; owner/other: authenticated on its own/another user's row)`)];
  lines.push(`${"table".padEnd(width)}  ${MATRIX_ROLES.map((r) => r.padEnd(12)).join("")}`.trimEnd());
  for (const table of tables) lines.push(`${table.padEnd(width)}  ${MATRIX_ROLES.map((r) => (shown.matrix[table]?.[r] ?? "").padEnd(12)).join("")}`.trimEnd());
  for (const note of shown.notes) lines.push(p.dim(`? ${note}`));
  for (const change of shown.appeared) lines.push(`${p.red("✗")} ${change.message}`);
  return lines;
}
