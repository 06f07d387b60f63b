/** The lint report: one block per finding (file:line, level, code, what, why, fix), or GitHub annotations. */
import type { LintFinding } from "../core/lint-rules.js";
import type { Painter } from "./paint.js";

/** What is printed of api/lint.ts's LintReport (output/ prints data; it does not import the API). */
interface LintReport {
  ok: boolean;
  files: string[];
  findings: LintFinding[];
  failOn: string;
}

export function renderLint(report: LintReport, p: Painter): string {
  const lines = findingLines(report.findings, p);
  const summary = summarize(report);
  if (lines.length > 0) lines.push("");
  lines.push(report.ok ? p.green(summary) : p.red(`${summary} (failing at --fail-on ${report.failOn})`));
  return lines.join("\n");
}

/** What is printed of the lint section of migrate --dry-run and status --lint (api/lint-section.ts). */
interface LintSection {
  files: string[];
  findings: LintFinding[];
  failing: number;
  error?: { message: string };
}

/** The lint section under migrate --dry-run's plan or status's table: it informs, it decides no exit code. */
export function renderLintSection(section: LintSection, p: Painter): string {
  if (section.error) return `${p.bold("lint")}: ${p.red(`could not run: ${section.error.message}`)}`;
  const summary = summarize(section);
  const verdict = section.failing > 0 ? p.red(`${summary} (dbkit lint would fail)`) : p.green(summary);
  return [`${p.bold("lint")}: ${verdict}`, ...findingLines(section.findings, p).map((line) => `  ${line}`)].join("\n");
}

function findingLines(findings: LintFinding[], p: Painter): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    const level = f.allowed !== undefined ? p.dim("allowed") : f.level === "error" ? p.red("error") : f.level === "warn" ? p.yellow("warn") : p.dim("info");
    lines.push(`${p.bold(`${f.file}:${f.line}`)} ${level} ${f.code}: ${f.message}`);
    if (f.allowed !== undefined) lines.push(`    allowed: ${f.allowed}`);
    else lines.push(`    why: ${f.why}`, `    fix: ${f.fix}`);
  }
  return lines;
}

function summarize(report: { files: string[]; findings: LintFinding[] }): string {
  const counted = report.findings.filter((f) => f.allowed === undefined);
  const errors = counted.filter((f) => f.level === "error").length;
  const warnings = counted.filter((f) => f.level === "warn").length;
  const infos = counted.length - errors - warnings;
  return `${report.files.length} ${report.files.length === 1 ? "file" : "files"} linted: ${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}, ${report.findings.length - counted.length} allowed${infos > 0 ? `, ${infos} info` : ""}`;
}

/** GitHub Actions workflow commands: each finding lands on the pull request's line. */
export function renderLintGithub(report: LintReport): string {
  return report.findings
    .filter((f) => f.allowed === undefined)
    .map((f) => `::${f.level === "error" ? "error" : f.level === "warn" ? "warning" : "notice"} file=${escapeProperty(f.file)},line=${f.line},title=${escapeProperty(`dbkit lint ${f.code}`)}::${escapeData(annotation(f))}`)
    .join("\n");
}

function annotation(f: LintFinding): string {
  return `${f.message}\n${f.why}\nfix: ${f.fix}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
