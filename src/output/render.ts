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
  const header = ["NAME", "STATE", "APPLIED AT", "DURATION"] as const;
  const migrations = result.entries.map((entry) => ({
    name: entry.name,
    state: entry.inProgressBy ? `${entry.state} (in progress by ${entry.inProgressBy})` : entry.state,
    colour: STATE_COLOURS[entry.state],
    time: formatTime(entry.appliedAt),
    duration: entry.executionMs === null ? "" : `${entry.executionMs} ms`,
  }));
  const c = result.counts;
  const summary = [`${c.applied} applied`, `${c.pending} pending`, ...(["changed", "missing", "failed", "running"] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`)].join(", ");
  const verdict = result.inSync ? p.green("in sync") : result.drift ? p.red("drift") : p.yellow("pending work");
  const out = aligned(header, migrations, p);
  out[0] = p.bold(out[0]!);
  if (result.seeds.length > 0) {
    const seedRows = result.seeds.map((seed) => ({ name: seed.name, state: seed.once ? `${seed.state} (once)` : seed.state, time: formatTime(seed.appliedAt), duration: seed.executionMs === null ? "" : `${seed.executionMs} ms` }));
    const seedLines = aligned(["SEED", ...header.slice(1)], seedRows, p);
    seedLines[0] = p.bold(seedLines[0]!);
    out.push("", ...seedLines);
  }
  const seedSummary = result.seeds.length > 0 ? `; seeds: ${result.seeds.filter((s) => s.state === "applied").length} current, ${result.seeds.filter((s) => s.state !== "applied").length} not` : "";
  out.push("", `${summary}${seedSummary} (${verdict})${skipped}`);
  if (result.outOfOrder.length > 0) {
    out.push(`${p.red("out of order:")} ${result.outOfOrder.join(", ")} sort(s) before the newest applied migration, so migrate refuses them: rename them with a later version, or run dbkit migrate --allow-out-of-order`);
  }
  return out.join("\n");
}

/** One row of the status table; `colour` paints its state. */
interface StatusRow {
  name: string;
  state: string;
  colour?: keyof Painter | undefined;
  time: string;
  duration: string;
}

/**
 * The header and the rows as columns two spaces apart, without trailing spaces. Plain loops and
 * concatenation: status prints a row per migration, and building each row as an array of padded
 * cells (map, join) took 10 ms at 5000 migrations.
 */
function aligned(header: readonly string[], rows: readonly StatusRow[], p: Painter): string[] {
  let [name, state, time] = [header[0]!.length, header[1]!.length, header[2]!.length];
  for (const row of rows) {
    if (row.name.length > name) name = row.name.length;
    if (row.state.length > state) state = row.state.length;
    if (row.time.length > time) time = row.time.length;
  }
  const line = (row: StatusRow) => {
    const shownState = row.state.padEnd(state);
    return `${row.name.padEnd(name)}  ${row.colour ? p[row.colour](shownState) : shownState}  ${row.time.padEnd(time)}  ${row.duration}`.trimEnd();
  };
  const lines = [line({ name: header[0]!, state: header[1]!, time: header[2]!, duration: header[3]! })];
  for (const row of rows) lines.push(line(row));
  return lines;
}

/** `2025-01-20T09:30:00.123Z` as `2025-01-20 09:30:00Z`. Slices, not regexes: status formats one per migration. */
function formatTime(iso: string | null): string {
  if (!iso) return "";
  const t = iso.indexOf("T");
  return `${iso.slice(0, t)} ${iso.slice(t + 1, t + 9)}Z`;
}
