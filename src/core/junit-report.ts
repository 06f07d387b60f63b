/**
 * The JUnit XML that CI systems read as a test report (GitHub, GitLab, Jenkins, CircleCI): one
 * test suite, one test case per SQL test file, a failure element per failed file listing each
 * failure at its line.
 */
import type { TestFileResult } from "./test-failures.js";

export function junitReport(files: readonly TestFileResult[]): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = files.reduce((sum, f) => sum + f.ms, 0);
  const failed = files.filter((f) => !f.ok).length;
  const cases = files.map((file) => {
    const open = `    <testcase classname="dbkit.test" name="${escapeXml(file.file)}" file="${escapeXml(file.file)}" assertions="${file.assertions}" time="${seconds(file.ms)}"`;
    if (file.ok) return `${open}/>`;
    const [first] = file.failures;
    const body = file.failures
      .map((f) => [`${file.file}:${f.line}: ${f.message}`, ...(f.expected !== undefined ? [`  expected: ${f.expected}`] : []), ...(f.found !== undefined ? [`  found:    ${f.found}`] : [])].join("\n"))
      .join("\n");
    const message = first ? `${file.file}:${first.line}: ${first.message.split("\n")[0] ?? ""}` : "failed";
    return `${open}>\n      <failure message="${escapeXml(message)}" type="assertion">${escapeXml(body)}</failure>\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="dbkit test" tests="${files.length}" failures="${failed}" time="${seconds(total)}">`,
    `  <testsuite name="dbkit test" tests="${files.length}" failures="${failed}" errors="0" skipped="0" time="${seconds(total)}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

function escapeXml(text: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; the five special ones escaped.
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
