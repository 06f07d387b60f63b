/** The diff report: one line per changed object, the files written, the proof; or why nothing was written. */
import type { Painter } from "./paint.js";

/** What is printed of api/diff.ts's DiffReport (output/ prints data; it does not import the API). */
interface DiffReport {
  ok: boolean;
  from: string;
  to: string;
  summary: string[];
  files: { path: string; sql: string }[];
  written: boolean;
  proven: boolean | null;
  notProvenReason?: string;
  differences: { kind: string; object: string; props?: string[] }[];
  unsupported: { key: string; reason: string }[];
  refused?: string;
  hint?: string;
}

const MARK: Record<string, string> = { missing: "-", extra: "+", changed: "~" };

export function renderDiff(report: DiffReport, p: Painter): string {
  const lines: string[] = [];
  const paintLine = (line: string) => (line.startsWith("+") ? p.green(line) : line.startsWith("-") ? p.red(line) : p.yellow(line));
  lines.push(...report.summary.map(paintLine));
  for (const u of report.unsupported) lines.push(p.yellow(`? ${u.key}: not written (${u.reason})`));
  if (!report.ok) {
    for (const d of report.differences) lines.push(`${MARK[d.kind] ?? "~"} ${d.object}: ${d.kind === "changed" ? `${(d.props ?? []).join(", ")} differ` : d.kind === "missing" ? "missing after the migration" : "left over after the migration"}`);
    lines.push(p.red(`nothing written: ${report.refused ?? "refused"}`));
    if (report.hint) lines.push(p.dim(`hint: ${report.hint}`));
    return lines.join("\n");
  }
  if (report.summary.length === 0 && report.unsupported.length === 0) return `nothing to change: ${report.to} and ${report.from} are the same schema`;
  for (const file of report.files) lines.push(report.written ? `${p.green("wrote")} ${file.path}` : `${p.dim("would write")} ${file.path}`);
  if (report.proven) lines.push(p.green(`proven: the migration gives ${report.to === "the database at --to-url" ? "the database's schema" : "the declared schema"} (0 differences)`));
  else if (report.notProvenReason) lines.push(p.yellow(`not proven: ${report.notProvenReason}`));
  return lines.join("\n");
}

/** --dry-run without --json: the SQL of each file, as it would be written, and nothing else on stdout. */
export function renderDiffSql(report: DiffReport): string {
  return report.files.map((file) => file.sql).join("\n");
}
