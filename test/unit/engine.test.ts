/** The engine's decisions, through the in-memory journal and applier: no database, milliseconds. */
import { describe, expect, it } from "vitest";
import { runBaseline } from "../../src/engine/adopt.js";
import { runMigrate, type MigrateOptions } from "../../src/engine/migrate.js";
import type { OnEvent } from "../../src/engine/events.js";
import { runResolve } from "../../src/engine/resolve.js";
import { runSeedsOnly } from "../../src/engine/seed.js";
import { runStatus } from "../../src/engine/status.js";
import { journalRow, memoryDatabase, migration, seed } from "../support/memory-database.js";

function recorder() {
  const said: string[] = [];
  const events: OnEvent = (event) => {
    if (event.type === "warning") said.push(`warn: ${event.message}`);
    else if (event.type === "info") said.push(`info: ${event.message}`);
    else if (event.type === "applying") said.push(`applying ${event.name} (${event.mode})`);
    else if (event.type === "applied" || event.type === "skipped") said.push(`${event.type} ${event.name}`);
  };
  return { said, events };
}

const SETTINGS = { lockTimeout: "5s", statementTimeout: "0", dbkitVersion: "test" };
const [a, b, c] = [migration("0001_a"), migration("0002_b"), migration("0003_c")] as const;

function migrate(db: ReturnType<typeof memoryDatabase>, options: Partial<MigrateOptions> & Pick<MigrateOptions, "files">, events = recorder().events) {
  return runMigrate(db, events, { ...SETTINGS, ...options });
}

describe("migrate decides", () => {
  it("applies the pending files in order, creating the journal first, and nothing on the next run", async () => {
    const db = memoryDatabase();
    const { said, events } = recorder();
    const result = await migrate(db, { files: [a, b, c] }, events);
    expect(db.ran).toEqual(["0001_a", "0002_b", "0003_c"]);
    expect(result.applied.map((entry) => entry.name)).toEqual(["0001_a", "0002_b", "0003_c"]);
    // "applied" is said once durable: after the batch's last, synchronous, commit.
    expect(said).toEqual(["applying 0001_a (transaction)", "applying 0002_b (transaction)", "applying 0003_c (transaction)", "applied 0001_a", "applied 0002_b", "applied 0003_c"]);
    const again = await migrate(db, { files: [a, b, c] });
    expect(again.applied).toEqual([]);
    expect(db.ran).toHaveLength(3);
  });

  it("a run with nothing pending reads no file's text (the stat cache then spares reading every file)", async () => {
    const db = memoryDatabase([journalRow(a), journalRow(b)]);
    let reads = 0;
    const unread = (file: typeof a) => {
      const { text, ...rest } = file;
      return { ...rest, get text() { reads++; return text; } };
    };
    const result = await migrate(db, { files: [unread(a), unread(b)] });
    expect(result.applied).toEqual([]);
    expect(reads).toBe(0);
  });

  it("a no-op is proven from the journal's summary, without reading its rows; any difference reads and plans them", async () => {
    const db = memoryDatabase();
    await migrate(db, { files: [a, b] });
    let rowReads = 0;
    const readJournal = db.journal.readJournal;
    db.journal.readJournal = () => (rowReads++, readJournal());
    const seeds = { files: [seed("a.sql")], partsOf: () => () => [] };
    // The seed is new: planned from the summary's seed rows, and run.
    expect((await migrate(db, { files: [a, b], seeds })).seeds?.applied.map((entry) => entry.name)).toEqual(["a.sql"]);
    expect((await migrate(db, { files: [b, a] })).applied).toEqual([]);
    expect(rowReads).toBe(0);
    // A pending file, a changed file, a file gone, a failed row: each is read and planned as ever.
    expect((await migrate(db, { files: [a, b, c] })).applied.map((entry) => entry.name)).toEqual(["0003_c"]);
    await expect(migrate(db, { files: [a, migration("0002_b", "edited;\n"), c] })).rejects.toMatchObject({ code: "DBKIT_CHECKSUM_MISMATCH" });
    expect((await migrate(db, { files: [a, b] })).missing).toEqual(["0003_c"]);
    db.rows!.find((row) => row.name === "0003_c")!.status = "failed";
    await expect(migrate(db, { files: [a, b, c] })).rejects.toMatchObject({ code: "DBKIT_UNRESOLVED_MIGRATION" });
    expect(rowReads).toBe(4);
  });

  it("says it will apply files (how many) before the first runs, and never on a no-op or a dry run", async () => {
    const db = memoryDatabase([journalRow(a)]);
    const told: string[] = [];
    const events: OnEvent = (event) => void (event.type === "applying" && told.push(`applying ${event.name}`));
    const willApply = (count: number) => void told.push(`will apply ${count}`);
    await migrate(db, { files: [a, b, c], dryRun: true, willApply }, events);
    expect(told).toEqual([]);
    await migrate(db, { files: [a, b, c], willApply }, events);
    expect(told).toEqual(["will apply 2", "applying 0002_b", "applying 0003_c"]);
    await migrate(db, { files: [a, b, c], willApply }, events);
    expect(told).toHaveLength(3);
  });

  it("pending is a set difference: a file whose name is not in the journal, wherever it sorts", async () => {
    const db = memoryDatabase([journalRow(a), journalRow(c)]);
    await expect(migrate(db, { files: [a, b, c] })).rejects.toMatchObject({ code: "DBKIT_OUT_OF_ORDER", exitCode: 5 });
    expect(db.ran).toEqual([]);
    const result = await migrate(db, { files: [a, b, c], allowOutOfOrder: true });
    expect(result.applied.map((entry) => entry.name)).toEqual(["0002_b"]);
  });

  it("refuses before running anything when an applied file changed", async () => {
    const db = memoryDatabase([journalRow(a)]);
    const edited = migration("0001_a", "create table a_edited ();\n");
    await expect(migrate(db, { files: [edited, b] })).rejects.toMatchObject({ code: "DBKIT_CHECKSUM_MISMATCH", exitCode: 5 });
    expect(db.ran).toEqual([]);
  });

  it("counts a file another runner applied while this one waited as theirs, not as a failure", async () => {
    const db = memoryDatabase();
    db.otherRunner.add("0002_b");
    const { said, events } = recorder();
    const result = await migrate(db, { files: [a, b, c] }, events);
    expect(result.applied.map((entry) => entry.name)).toEqual(["0001_a", "0003_c"]);
    expect(result.appliedByOther).toEqual(["0002_b"]);
    expect(said).toContain("skipped 0002_b");
    expect(db.ran).toEqual(["0001_a", "0003_c"]);
  });

  it("a runner that finds a run under way waits for it before checking any file, then checks and applies only what that run left, asking for the run lock again", async () => {
    const db = memoryDatabase();
    // Refused by the checks (a psql meta-command): a waiter that checked before waiting would fail here.
    const appliedByTheOther = migration("0002_b", "\\set x 1\n");
    let asked = 0;
    db.applier.leadRun = async () => {
      if (++asked > 1) return false;
      db.rows = [journalRow(a), journalRow(appliedByTheOther)];
      return true;
    };
    const { said, events } = recorder();
    const result = await migrate(db, { files: [a, appliedByTheOther, c] }, events);
    expect(asked).toBe(2);
    expect(db.ran).toEqual(["0003_c"]);
    expect(result.appliedByOther).toEqual(["0001_a", "0002_b"]);
    expect(said).toEqual(["skipped 0001_a", "skipped 0002_b", "applying 0003_c (transaction)", "applied 0003_c"]);
  });

  it("a runner that takes the run lock plans again: a run that ended just before may have applied part of its plan", async () => {
    const db = memoryDatabase();
    let asked = 0;
    db.applier.leadRun = async () => {
      asked++;
      db.rows = [journalRow(a)];
      return false;
    };
    const { said, events } = recorder();
    const result = await migrate(db, { files: [a, b, c] }, events);
    expect(asked).toBe(1);
    expect(db.ran).toEqual(["0002_b", "0003_c"]);
    expect(result.appliedByOther).toEqual(["0001_a"]);
    expect(said[0]).toBe("skipped 0001_a");
  });

  it("says a plan's warnings once, although a runner that takes the run lock plans again", async () => {
    const db = memoryDatabase();
    db.rows = [journalRow(migration("0000_gone"))];
    db.applier.leadRun = async () => false;
    const { said, events } = recorder();
    await migrate(db, { files: [a] }, events);
    expect(said.filter((line) => line.startsWith("warn:"))).toEqual(["warn: 0000_gone is recorded as applied but its file is gone"]);
    expect(db.ran).toEqual(["0001_a"]);
  });

  it("a runner that waited and finds everything applied asks for the run lock no more and runs nothing", async () => {
    const db = memoryDatabase();
    let asked = 0;
    db.applier.leadRun = async () => {
      asked++;
      db.rows = [journalRow(a), journalRow(b)];
      return true;
    };
    const result = await migrate(db, { files: [a, b] });
    expect(asked).toBe(1);
    expect(db.ran).toEqual([]);
    expect(result.appliedByOther).toEqual(["0001_a", "0002_b"]);
  });

  it("with --to stops at the named migration (by name or version) and runs no seeds", async () => {
    const db = memoryDatabase();
    const result = await migrate(db, { files: [a, b, c], to: "0002", seeds: { files: [seed("s.sql")], partsOf: () => () => [] } });
    expect(db.ran).toEqual(["0001_a", "0002_b"]);
    expect(result.seeds).toBeNull();
    await expect(migrate(db, { files: [a, b, c], to: "0009" })).rejects.toMatchObject({ code: "DBKIT_UNKNOWN_TARGET", exitCode: 2 });
    const { said, events } = recorder();
    expect((await migrate(db, { files: [a, b, c], to: "0001_a" }, events)).applied).toEqual([]);
    expect(said).toEqual(["warn: --to 0001_a: 0001_a is already applied; nothing to do"]);
  });

  it("with --dry-run plans and runs nothing, not even the journal", async () => {
    const db = memoryDatabase();
    const result = await migrate(db, { files: [a, b], dryRun: true });
    expect(result.planned.map((step) => step.name)).toEqual(["0001_a", "0002_b"]);
    expect(db.ran).toEqual([]);
    expect(db.rows).toBeUndefined();
  });

  it("reports applied rows whose file is gone, and goes on", async () => {
    const db = memoryDatabase([journalRow(a)]);
    const { said, events } = recorder();
    const result = await migrate(db, { files: [b] }, events);
    expect(result.missing).toEqual(["0001_a"]);
    expect(said[0]).toBe("warn: 0001_a is recorded as applied but its file is gone");
    expect(db.ran).toEqual(["0002_b"]);
  });

  it("sends a no-transaction file statement by statement, and refuses one under --single-transaction", async () => {
    const concurrently = migration("0002_index", "-- dbkit:no-transaction\ncreate index concurrently i on t (x);\n", true);
    const { said, events } = recorder();
    await migrate(memoryDatabase(), { files: [a, concurrently] }, events);
    expect(said).toContain("applying 0002_index (no-transaction)");
    await expect(migrate(memoryDatabase(), { files: [a, concurrently], singleTransaction: true })).rejects.toMatchObject({ code: "DBKIT_SINGLE_TRANSACTION", exitCode: 2 });
  });

  it("blocks on a failed no-transaction row until it is resolved", async () => {
    const db = memoryDatabase([journalRow(a, "failed")]);
    await expect(migrate(db, { files: [a, b] })).rejects.toMatchObject({ code: "DBKIT_UNRESOLVED_MIGRATION" });
    expect(db.ran).toEqual([]);
    expect(await runResolve(db.journal, "0001_a.sql", "rolled-back", "test")).toEqual({ name: "0001_a", previousStatus: "failed", resolution: "rolled-back" });
    await migrate(db, { files: [a, b] });
    expect(db.ran).toEqual(["0001_a", "0002_b"]);
  });

  it("resolve --applied keeps the file recorded, so it does not run again", async () => {
    const db = memoryDatabase([journalRow(a, "running")]);
    await runResolve(db.journal, "0001_a", "applied", "test");
    await migrate(db, { files: [a, b] });
    expect(db.ran).toEqual(["0002_b"]);
  });
});

describe("seeds decide", () => {
  const parts = () => () => [];
  it("run when new or changed, not when unchanged; a changed 'seed once' seed is reported, not run", async () => {
    const db = memoryDatabase();
    const [plain, once] = [seed("a.sql"), seed("b.sql", "insert into b values (1);\n", true)];
    const first = await migrate(db, { files: [a], seeds: { files: [plain, once], partsOf: parts } });
    expect(first.seeds?.applied.map((entry) => entry.name)).toEqual(["a.sql", "b.sql"]);
    const unchanged = await runSeedsOnly(db, recorder().events, [plain, once], parts, SETTINGS);
    expect(unchanged.planned).toEqual([]);
    const { said, events } = recorder();
    const changed = await runSeedsOnly(db, events, [seed("a.sql", "insert into a values (2);\n"), seed("b.sql", "insert into b values (2);\n", true)], parts, SETTINGS);
    expect(changed.applied.map((entry) => entry.name)).toEqual(["a.sql"]);
    expect(said).toContain('warn: seeds/b.sql changed after it ran, but it is a "seed once" seed: not run again');
    expect(db.ran).toEqual(["0001_a", "a.sql", "b.sql", "a.sql"]);
  });
});

describe("status and baseline decide", () => {
  it("status counts pending, changed, missing and failed, and says drift or pending", async () => {
    const db = memoryDatabase([journalRow(a), journalRow(migration("0002_b", "old\n")), journalRow(migration("0004_gone")), journalRow(migration("0005_half"), "failed")]);
    const result = await runStatus(db.journal, [a, b, c, migration("0005_half")], []);
    expect(result.counts).toEqual({ applied: 1, pending: 1, changed: 1, missing: 1, failed: 1, running: 0 });
    expect(result).toMatchObject({ drift: true, pending: true, inSync: false, journal: true });
    expect(await runStatus(memoryDatabase().journal, [], [])).toMatchObject({ journal: false, inSync: true });
  });

  it("status of a journal in sync is proven from its summary with each row's time, the same result as from the rows", async () => {
    const [once, plain] = [seed("a.sql", "insert into a values (1);\n", true), seed("b.sql")];
    const rows = [
      { ...journalRow(a), appliedAt: new Date("2025-03-01T10:00:00.123Z"), executionMs: 12 },
      // Resolved --applied after a failure: the row keeps its error, and may have no duration.
      { ...journalRow(b), appliedAt: new Date("2025-03-02T10:00:00Z"), executionMs: null, error: "boom" },
      journalRow(c),
      journalRow(once),
    ];
    const db = memoryDatabase(rows);
    let rowReads = 0;
    const readJournal = db.journal.readJournal;
    db.journal.readJournal = () => (rowReads++, readJournal());
    const proven = await runStatus(db.journal, [a, b, c], [once, plain]);
    expect(rowReads).toBe(0);
    const planned = await runStatus({ readJournal: db.journal.readJournal }, [a, b, c], [once, plain]);
    expect(rowReads).toBe(1);
    expect(proven).toEqual(planned);
    expect(proven.entries.map((entry) => [entry.name, entry.state, entry.appliedAt, entry.executionMs, entry.error])).toEqual([
      ["0001_a", "applied", "2025-03-01T10:00:00.123Z", 12, null],
      ["0002_b", "applied", "2025-03-02T10:00:00.000Z", null, "boom"],
      ["0003_c", "applied", "1970-01-01T00:00:00.000Z", 1, null],
    ]);
    expect(proven).toMatchObject({ inSync: false, pending: true, drift: false });
    // Files out of migration order (an API caller's) are planned, which sorts them.
    expect(await runStatus(db.journal, [c, a, b], [])).toEqual({ ...(await runStatus({ readJournal: db.journal.readJournal }, [a, b, c], [])) });
  });

  it("baseline records up to --to without running anything", async () => {
    const db = memoryDatabase();
    expect(await runBaseline(db.journal, [a, b, c], "0002_b", false, "test")).toEqual({ dryRun: false, recorded: ["0001_a", "0002_b"] });
    expect(db.ran).toEqual([]);
    await migrate(db, { files: [a, b, c] });
    expect(db.ran).toEqual(["0003_c"]);
  });
});
