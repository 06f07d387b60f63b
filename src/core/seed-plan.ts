import type { JournalRow, SeedFile } from "./types.js";

/**
 * applied: ran with this content. pending: never ran. changed: content differs from what ran
 * (a default seed runs again; a `seed once` seed does not, and that is reported).
 * missing: recorded, but the file is gone.
 */
export type SeedState = "applied" | "pending" | "changed" | "missing";

export interface SeedEntry {
  name: string;
  state: SeedState;
  once: boolean;
  seed?: SeedFile;
  row?: JournalRow;
}

export interface SeedPlan {
  entries: SeedEntry[];
  /** Seeds to run, in name order. */
  toRun: SeedFile[];
  /** `seed once` seeds whose content changed after they ran: reported, never run again. */
  changedOnce: SeedEntry[];
}

/** Which seeds run: those never run, and default seeds whose content changed. */
export function planSeeds(seeds: readonly SeedFile[], rows: readonly JournalRow[]): SeedPlan {
  const rowByName = new Map(rows.filter((row) => row.kind === "seed").map((row) => [row.name, row]));
  const entries: SeedEntry[] = seeds.map((seed) => {
    const row = rowByName.get(seed.name);
    const state: SeedState = !row ? "pending" : row.checksum === seed.checksum ? "applied" : "changed";
    return { name: seed.name, state, once: seed.directives.seedOnce, seed, ...(row ? { row } : {}) };
  });
  const names = new Set(seeds.map((seed) => seed.name));
  for (const row of rowByName.values()) if (!names.has(row.name)) entries.push({ name: row.name, state: "missing", once: false, row });
  return {
    entries,
    toRun: entries.filter((e) => e.state === "pending" || (e.state === "changed" && !e.once)).map((e) => e.seed!),
    changedOnce: entries.filter((e) => e.state === "changed" && e.once),
  };
}
