/** Human text for command results. Pure string building; Output decides where it goes. */
import type { MigrateResult } from "../engine/migrate.js";
import type { SeedResult } from "../engine/seed.js";
import type { StatusResult } from "../engine/status.js";
import type { Painter } from "./paint.js";

export function renderMigrate(result: MigrateResult, p: Painter): string {
  const seedsDue = result.seeds?.planned.length ?? 0;
  if (result.dryRun) {
    if (result.planned.length === 0 && seedsDue === 0) return "nothing to apply: the database is up to date";
    const lines = result.planned.map((step) => `  ${step.name}  ${p.dim(step.mode === "no-transaction" ? "(no transaction)" : "(transaction)")}`);
    for (const name of result.seeds?.planned ?? []) lines.push(`  ${name}  ${p.dim("(seed)")}`);
    return `dry run: would apply ${result.planned.length} migration(s) and ${seedsDue} seed(s); nothing was changed\n${lines.join("\n")}`;
  }
  if (result.planned.length === 0 && seedsDue === 0) return "nothing to apply: the database is up to date";
  const parts = [`applied ${result.applied.length} migration(s)`];
  if (result.seeds && result.seeds.planned.length > 0) parts.push(`${result.seeds.applied.length} seed(s)`);
  const byOther = result.appliedByOther.length + (result.seeds?.appliedByOther.length ?? 0);
  if (byOther > 0) parts.push(`${byOther} already applied by another runner`);
  return p.bold(parts.join(", "));
}

export function renderSeeds(result: SeedResult, dryRun: boolean, p: Painter): string {
  if (result.planned.length === 0) return "no seeds to run: every seed is current";
  if (dryRun) return `dry run: would run ${result.planned.length} seed(s); nothing was changed\n${result.planned.map((n) => `  ${n}`).join("\n")}`;
  const byOther = result.appliedByOther.length > 0 ? `, ${result.appliedByOther.length} run by another runner` : "";
  return p.bold(`ran ${result.applied.length} seed(s)${byOther}`);
}

const STATE_COLOURS: Record<string, keyof Painter> = {
  applied: "green",
  pending: "yellow",
  changed: "red",
  missing: "red",
  failed: "red",
  running: "red",
};

export function renderStatus(result: StatusResult & { seedsSkipped?: string }, p: Painter): string {
  const skipped = result.seedsSkipped ? `\nseeds skipped: ${result.seedsSkipped}` : "";
  if (result.entries.length === 0 && result.seeds.length === 0) return `no migrations found${skipped}`;
  const rows = result.entries.map((entry) => [
    entry.name,
    entry.inProgressBy ? `${entry.state} (in progress by ${entry.inProgressBy})` : entry.state,
    formatTime(entry.appliedAt),
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
  const body = rows.map((row) => line(row, STATE_COLOURS[row[1]!.split(" ")[0]!]));
  const c = result.counts;
  const summary = [`${c.applied} applied`, `${c.pending} pending`, ...(["changed", "missing", "failed", "running"] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`)].join(", ");
  const verdict = result.inSync ? p.green("in sync") : result.drift ? p.red("drift") : p.yellow("pending work");
  const out = [p.bold(line(header)), ...body];
  if (result.seeds.length > 0) {
    const seedRows = result.seeds.map((seed) => [seed.name, seed.once ? `${seed.state} (once)` : seed.state, formatTime(seed.appliedAt), seed.executionMs === null ? "" : `${seed.executionMs} ms`]);
    const seedWidths = header.map((h, i) => Math.max(h.length, ...seedRows.map((r) => r[i]!.length)));
    out.push("", p.bold(["SEED", "STATE", "APPLIED AT", "DURATION"].map((h, i) => h.padEnd(seedWidths[i]!)).join("  ").trimEnd()));
    for (const row of seedRows) out.push(row.map((cell, i) => cell.padEnd(seedWidths[i]!)).join("  ").trimEnd());
  }
  const seedSummary = result.seeds.length > 0 ? `; seeds: ${result.seeds.filter((s) => s.state === "applied").length} current, ${result.seeds.filter((s) => s.state !== "applied").length} not` : "";
  out.push("", `${summary}${seedSummary} (${verdict})${skipped}`);
  if (result.outOfOrder.length > 0) {
    out.push(`${p.red("out of order:")} ${result.outOfOrder.join(", ")} sort(s) before the newest applied migration, so migrate refuses them: rename them with a later version, or run dbkit migrate --allow-out-of-order`);
  }
  return out.join("\n");
}

/** `2025-01-20T09:30:00.123Z` as `2025-01-20 09:30:00Z`. Slices, not regexes: status formats one per migration. */
function formatTime(iso: string | null): string {
  if (!iso) return "";
  const t = iso.indexOf("T");
  return `${iso.slice(0, t)} ${iso.slice(t + 1, t + 9)}Z`;
}
