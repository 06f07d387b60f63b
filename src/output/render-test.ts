/** The `dbkit test` report: one line per file with pass/fail and time, then each failure at file:line. */
import type { TestFileResult } from "../core/test-failures.js";
import type { Painter } from "./paint.js";

export function renderTest(report: { ok: boolean; failed: number; files: readonly TestFileResult[] }, p: Painter): string {
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
  const total = report.files.length;
  lines.push("", report.ok ? p.green(`${total} test file(s) passed`) : p.red(`${report.failed} of ${total} test file(s) failed`));
  return lines.join("\n");
}
