/**
 * `dbkit down`: which applied migrations to revert, newest first, and every reason not to. Only
 * versioned migrations revert (a Flyway repeatable has no undo), each with its own down.
 */
import { compareMigrations, compareVersions } from "./migration-name.js";
import type { DownSql, JournalRow, MigrationFile } from "./types.js";

export interface DownTarget {
  /** Revert every migration after this one (a name or a version); `0`: every migration. */
  to?: string;
  /** Revert this many migrations (default 1 without `to`). */
  steps?: number;
}

export interface DownStep {
  file: MigrationFile;
  down: DownSql;
}

export type DownPlan =
  | { ok: true; steps: DownStep[] }
  | { ok: false; reason: "unknown-target"; target: string }
  | { ok: false; reason: "unresolved"; name: string; status: string }
  | { ok: false; reason: "not-revertible"; missingFile: string[]; changed: string[]; withoutDown: string[] };

export function planDown(files: readonly MigrationFile[], rows: readonly JournalRow[], target: DownTarget): DownPlan {
  const migrations = rows.filter((row) => row.kind === "migration");
  const unresolved = migrations.find((row) => row.status !== "applied");
  if (unresolved) return { ok: false, reason: "unresolved", name: unresolved.name, status: unresolved.status };
  const applied = migrations.filter((row) => row.version !== "").sort((a, b) => compareMigrations(b, a));
  let chosen: JournalRow[];
  if (target.to !== undefined) {
    const to = target.to;
    const known = [...files.map((file) => ({ name: file.name, version: file.version })), ...applied];
    const byName = known.find((entry) => entry.name === to || `${entry.name}.sql` === to);
    const isVersion = /^\d+(\.\d+)*$/.test(to);
    if (!byName && !(isVersion && (/^0+$/.test(to) || known.some((entry) => entry.version !== "" && compareVersions(entry.version, to) === 0)))) {
      return { ok: false, reason: "unknown-target", target: to };
    }
    // Everything after the target, the target's own version staying applied.
    chosen = applied.filter((row) => (byName ? compareMigrations(row, byName) > 0 : compareVersions(row.version, to) > 0));
  } else {
    chosen = applied.slice(0, target.steps ?? 1);
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  const missingFile: string[] = [];
  const changed: string[] = [];
  const withoutDown: string[] = [];
  const steps: DownStep[] = [];
  for (const row of chosen) {
    const file = byName.get(row.name);
    if (!file) missingFile.push(row.name);
    else if (file.checksum !== row.checksum) changed.push(file.path);
    else if (!file.down) withoutDown.push(file.path);
    else steps.push({ file, down: file.down });
  }
  if (missingFile.length + changed.length + withoutDown.length > 0) return { ok: false, reason: "not-revertible", missingFile, changed, withoutDown };
  return { ok: true, steps };
}
