/** Human text for command results. Pure string building; Output decides where it goes. */
import type { MigrateResult } from "../engine/migrate.js";
import type { StatusResult } from "../engine/status.js";
import type { Painter } from "./paint.js";

export function renderMigrate(result: MigrateResult, p: Painter): string {
  if (result.dryRun) {
    if (result.planned.length === 0) return "nothing to apply: the database is up to date";
    const lines = result.planned.map((step) => `  ${step.name}  ${p.dim(step.mode === "no-transaction" ? "(no transaction)" : "(transaction)")}`);
    return `dry run: would apply ${result.planned.length} migration(s); nothing was changed\n${lines.join("\n")}`;
  }
  if (result.planned.length === 0) return "nothing to apply: the database is up to date";
  const parts = [`applied ${result.applied.length} migration(s)`];
  if (result.appliedByOther.length > 0) parts.push(`${result.appliedByOther.length} already applied by another runner`);
  return p.bold(parts.join(", "));
}

const STATE_COLOURS: Record<string, keyof Painter> = {
  applied: "green",
  pending: "yellow",
  changed: "red",
  missing: "red",
  failed: "red",
  running: "red",
};

export function renderStatus(result: StatusResult, p: Painter): string {
  if (result.entries.length === 0) return "no migrations found";
  const rows = result.entries.map((entry) => [
    entry.name,
    entry.state,
    entry.appliedAt ? entry.appliedAt.replace("T", " ").replace(/\.\d+Z$/, "Z") : "",
    entry.executionMs === null ? "" : `${entry.executionMs} ms`,
  ]);
  const header = ["NAME", "STATE", "APPLIED AT", "DURATION"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], colour?: keyof Painter) =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]!);
        return i === 1 && colour ? p[colour](padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const body = rows.map((row) => line(row, STATE_COLOURS[row[1]!]));
  const c = result.counts;
  const summary = [`${c.applied} applied`, `${c.pending} pending`, ...(["changed", "missing", "failed", "running"] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`)].join(", ");
  const verdict = result.inSync ? p.green("in sync") : result.drift ? p.red("drift") : p.yellow("pending work");
  return [p.bold(line(header)), ...body, "", `${summary} (${verdict})`].join("\n");
}
