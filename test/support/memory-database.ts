/**
 * An in-memory journal and applier (like umzug's memoryStorage): the engine's decisions tested
 * in milliseconds, without a database. "Running" a file records its name in `ran`; the journal
 * is a list of rows. `otherRunner` plays a concurrent runner that records files between this
 * runner's read of the journal and its apply, which the real applier re-checks under the lock.
 */
import { createHash } from "node:crypto";
import { appliedDigest } from "../../src/core/journal-digest.js";
import type { JournalRow, MigrationFile, SeedFile } from "../../src/core/types.js";
import type { Applier, ApplyOutcome, Journal } from "../../src/engine/ports.js";

export function memoryDatabase(rows?: JournalRow[]) {
  const state = { rows: rows?.map((row) => ({ ...row })), ran: [] as string[], otherRunner: new Set<string>() };
  const find = (name: string) => state.rows?.find((row) => row.name === name);
  const record = (file: MigrationFile | SeedFile) => {
    // As on Postgres: writing to a journal nobody created fails.
    if (!state.rows) throw new Error("relation dbkit.migrations does not exist");
    state.rows = [...state.rows.filter((row) => row.name !== file.name), journalRow(file)];
  };
  const apply = (file: MigrationFile | SeedFile): ApplyOutcome => {
    if (!state.rows) throw new Error("relation dbkit.migrations does not exist");
    if (state.otherRunner.delete(file.name)) record(file);
    const recorded = find(file.name);
    if (recorded && (file.kind === "migration" || file.directives.seedOnce || recorded.checksum === file.checksum)) return { kind: "skipped" };
    state.ran.push(file.name);
    record(file);
    return { kind: "applied", executionMs: 1 };
  };
  const journal: Journal = {
    readJournal: async () => state.rows?.map((row) => ({ ...row })),
    // As the server computes it (db/journal-sql.ts): over the applied migration rows, in name order.
    readSummary: async (times) => {
      if (!state.rows) return undefined;
      const applied = state.rows.filter((row) => row.kind === "migration" && row.status === "applied").sort((a, b) => (a.name < b.name ? -1 : 1));
      return {
        appliedDigest: appliedDigest(applied)!,
        unresolved: state.rows.filter((row) => row.kind === "migration" && row.status !== "applied").length,
        seeds: state.rows.filter((row) => row.kind === "seed").map((row) => ({ ...row })),
        ...(times ? { times: { of: (name: string) => applied.filter((row) => row.name === name).map((row) => ({ appliedAt: row.appliedAt.toISOString(), executionMs: row.executionMs, error: row.error }))[0] } } : {}),
      };
    },
    ensureJournal: async () => void (state.rows ??= []),
    recordApplied: async (files) => files.filter((file) => !find(file.name)).map((file) => (record(file), file.name)),
    resolve: async (name, resolution) => {
      const row = find(name);
      if (!row || row.status === "applied") throw new Error(`${name}: nothing to resolve`);
      state.rows = resolution === "applied" ? state.rows!.map((r) => (r === row ? { ...r, status: "applied" } : r)) : state.rows!.filter((r) => r !== row);
      return row;
    },
  };
  const applier: Applier = {
    applyEachInTransaction: async (files, _options, progress) => {
      for (const file of files) {
        progress.applying(file);
        progress.done(file, apply(file));
      }
    },
    applyAllInTransaction: async (files, _options, onApplying) => new Map(files.map((file) => (onApplying(file), [file.name, apply(file)]))),
    applyWithoutTransaction: async (file) => apply(file),
    applySeed: async (seed) => apply(seed),
    revert: async (file) => {
      if (!find(file.name)) throw new Error(`${file.name} is not applied`);
      state.ran.push(`down ${file.name}`);
      state.rows = state.rows!.filter((row) => row.name !== file.name);
      return { executionMs: 1 };
    },
  };
  return Object.assign(state, { journal, applier });
}

export function migration(name: string, text = `create table t_${name.replace(/\W/g, "_")} ();\n`, noTransaction = false): MigrationFile {
  return { kind: "migration", name, version: name.split("_")[0]!, path: `migrations/${name}.sql`, text, checksum: sha256(text), directives: { noTransaction, seedOnce: false } };
}

export function seed(name: string, text = "insert into t values (1) on conflict do nothing;\n", seedOnce = false): SeedFile {
  return { kind: "seed", name, version: name, path: `seeds/${name}`, absolutePath: `/seeds/${name}`, checksum: sha256(text), directives: { noTransaction: false, seedOnce } };
}

export function journalRow(file: MigrationFile | SeedFile, status: JournalRow["status"] = "applied"): JournalRow {
  return { name: file.name, version: file.version, kind: file.kind, checksum: file.checksum, status, appliedAt: new Date(0), executionMs: 1, error: null };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
