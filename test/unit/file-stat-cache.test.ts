import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checksumOf } from "../../src/core/decode-sql.js";
import type { MigrationFile } from "../../src/core/types.js";
import { FRESH_MS, openFileStatCache } from "../../src/fs/file-stat-cache.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), "dbkit-statcache-"));
  dirs.push(root);
  const dir = path.join(root, "migrations");
  const stateDir = path.join(root, ".dbkit");
  const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { root, dir, stateDir, write };
}

/**
 * One run over the folder, as readMigrationDir makes it; `later` ms after now (so that files just
 * written count as old enough to record). Returns the files and how many were read from disk.
 */
function run(p: ReturnType<typeof project>, later = FRESH_MS + 1000) {
  const cache = openFileStatCache(p.stateDir, p.dir, p.root, () => Date.now() + later);
  let reads = 0;
  const files = readdirSync(p.dir).sort().map((name) =>
    cache.read(path.join(p.dir, name), name, { kind: "migration", name, version: name.slice(0, 4), path: name }, (): MigrationFile => {
      reads++;
      const text = readFileSync(path.join(p.dir, name), "utf8");
      return { kind: "migration", name, version: name.slice(0, 4), path: name, text, checksum: checksumOf(text), directives: { noTransaction: false, seedOnce: false } };
    }),
  );
  cache.save();
  return { files, reads, checksums: Object.fromEntries(files.map((file) => [file.name, file.checksum])) };
}

/** Sets a whole-second mtime, which utimes can set back exactly (it cannot set nanoseconds). */
function wholeSecondMtime(file: string): Date {
  const time = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  utimesSync(file, time, time);
  expect(statSync(file, { bigint: true }).mtimeNs % 1_000_000_000n).toBe(0n);
  return time;
}

/** Waits until the file system stamps a ctime newer than `file`'s: an edit now cannot fall in the same tick. */
function nextTick(file: string) {
  const before = statSync(file, { bigint: true }).ctimeNs;
  const probe = `${file}.probe`;
  for (;;) {
    writeFileSync(probe, "x");
    if (statSync(probe, { bigint: true }).ctimeNs > before) break;
  }
  rmSync(probe);
}

describe("the file stat cache", () => {
  it("does not read a file again while its stat has not moved, and reads its text on demand", () => {
    const p = project({ "0001_a.sql": "create table a (id int);\n", "0002_b.sql": "create table b (id int);\n" });
    expect(run(p).reads).toBe(2);
    const second = run(p);
    expect(second.reads).toBe(0);
    expect(second.files[1]!.text).toBe("create table b (id int);\n");
    expect(second.reads).toBe(0); // the text getter reads through its own reader, not counted above
    expect(second.files[0]!.checksum).toBe(checksumOf("create table a (id int);\n"));
  });

  it("catches an edit that keeps the size and touches the mtime back (ctime moves)", () => {
    const p = project({ "0001_a.sql": "create table a (id int);\n" });
    const file = path.join(p.dir, "0001_a.sql");
    const time = wholeSecondMtime(file);
    const original = run(p).checksums["0001_a.sql"];
    const before = statSync(file, { bigint: true });
    nextTick(file);
    p.write("0001_a.sql", "create table z (id int);\n");
    utimesSync(file, time, time);
    const after_ = statSync(file, { bigint: true });
    expect([after_.size, after_.mtimeNs, after_.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const after = run(p);
    expect(after.reads).toBe(1);
    expect(after.checksums["0001_a.sql"]).toBe(checksumOf("create table z (id int);\n"));
    expect(after.checksums["0001_a.sql"]).not.toBe(original);
  });

  it("catches a file replaced by another of the same size and mtime (inode moves)", () => {
    const p = project({ "0001_a.sql": "create table a (id int);\n" });
    const file = path.join(p.dir, "0001_a.sql");
    const time = wholeSecondMtime(file);
    run(p);
    writeFileSync(`${file}.new`, "create table q (id int);\n");
    utimesSync(`${file}.new`, time, time);
    renameSync(`${file}.new`, file);
    const after = run(p);
    expect(after.reads).toBe(1);
    expect(after.checksums["0001_a.sql"]).toBe(checksumOf("create table q (id int);\n"));
  });

  it("does not record a file written moments before it was read (racily clean): the next run reads it again", () => {
    const p = project({ "0001_a.sql": "create table a (id int);\n" });
    // The clock as it is: the file was written just now, so an edit in the same tick could leave its stat unmoved.
    expect(run(p, 0).reads).toBe(1);
    expect(run(p, 0).reads).toBe(1);
    // Same size, same tick is possible here: the content is still caught because nothing was recorded.
    const file = path.join(p.dir, "0001_a.sql");
    const time = wholeSecondMtime(file);
    expect(run(p, 0).reads).toBe(1);
    p.write("0001_a.sql", "create table y (id int);\n");
    utimesSync(file, time, time);
    expect(run(p, 0).checksums["0001_a.sql"]).toBe(checksumOf("create table y (id int);\n"));
    // Once it is old enough, it is recorded and no longer read.
    expect(run(p).reads).toBe(1);
    expect(run(p).reads).toBe(0);
  });

  it("refuses a cached file whose text no longer matches its checksum when the text is finally read", () => {
    const p = project({ "0001_a.sql": "create table a (id int);\n" });
    run(p);
    const cached = run(p, FRESH_MS + 1000);
    // Changed after the stat was compared and before the text was needed (a run in progress).
    const cache = openFileStatCache(p.stateDir, p.dir, p.root, () => Date.now() + FRESH_MS + 1000);
    const file = cache.read(path.join(p.dir, "0001_a.sql"), "0001_a.sql", { kind: "migration", name: "0001_a.sql", version: "0001", path: "0001_a.sql" }, () => {
      const text = "create table other (id int);\n";
      return { ...cached.files[0]!, text, checksum: checksumOf(text) };
    });
    expect(() => file.text).toThrow(/changed while dbkit was running/);
  });

  it("gives back every field the reader derived, as it was, and treats a damaged entry as a miss", () => {
    const p = project({ "0001_a.sql": "a\n", "0002_b.sql": "b\n", "0003_c.sql": "c\n", "0004_d.sql": "d\n" });
    const derived: Record<string, Partial<MigrationFile>> = {
      "0001_a.sql": { directives: { noTransaction: true, seedOnce: false }, mentionsSupabase: true },
      "0002_b.sql": { directives: { noTransaction: false, seedOnce: true }, mentionsSupabase: false, repeatable: true, journalWhen: 1718000000000 },
      "0003_c.sql": { directives: { noTransaction: false, seedOnce: false }, dbmateSections: true, down: { path: "0003_c.sql", text: "drop table c; -- a space, \"quotes\"\n", noTransaction: true } },
      "0004_d.sql": { directives: { noTransaction: false, seedOnce: false } },
    };
    const runWith = () => {
      const cache = openFileStatCache(p.stateDir, p.dir, p.root, () => Date.now() + FRESH_MS + 1000);
      let reads = 0;
      const files = readdirSync(p.dir).sort().map((name) =>
        cache.read(path.join(p.dir, name), name, { kind: "migration", name, version: name.slice(0, 4), path: name }, (): MigrationFile => {
          reads++;
          const text = readFileSync(path.join(p.dir, name), "utf8");
          return { kind: "migration", name, version: name.slice(0, 4), path: name, text, checksum: checksumOf(text), directives: { noTransaction: false, seedOnce: false }, ...derived[name] };
        }),
      );
      cache.save();
      return { reads, files: files.map((file) => ({ ...file })) };
    };
    const first = runWith();
    const second = runWith();
    expect(second.reads).toBe(0);
    expect(second.files).toEqual(first.files);
    expect(second.files.map((file) => Object.keys(file).sort())).toEqual(first.files.map((file) => Object.keys(file).sort()));
    // An entry cut short or with unknown flags is read again, never half-trusted.
    const [cacheFile] = readdirSync(path.join(p.stateDir, "file-stats"));
    const cachePath = path.join(p.stateDir, "file-stats", cacheFile!);
    const stored = JSON.parse(readFileSync(cachePath, "utf8")) as { names: string[]; derived: string[] };
    const at = (name: string) => stored.names.indexOf(name);
    stored.derived[at("0001_a.sql")] = stored.derived[at("0001_a.sql")]!.slice(0, -2);
    stored.derived[at("0004_d.sql")] = stored.derived[at("0004_d.sql")]!.replace(/ 00-$/, " 0x-");
    writeFileSync(cachePath, JSON.stringify(stored));
    const third = runWith();
    expect(third.reads).toBe(2);
    expect(third.files).toEqual(first.files);
  });

  it("finds entries asked for out of the folder's order, and forgets a removed file", () => {
    const p = project({ "0001_a.sql": "a\n", "0002_b.sql": "b\n", "0003_c.sql": "c\n" });
    expect(run(p).reads).toBe(3);
    const cache = openFileStatCache(p.stateDir, p.dir, p.root, () => Date.now() + FRESH_MS + 1000);
    let reads = 0;
    const reader = (name: string) => (): MigrationFile => {
      reads++;
      const text = readFileSync(path.join(p.dir, name), "utf8");
      return { kind: "migration", name, version: name.slice(0, 4), path: name, text, checksum: checksumOf(text), directives: { noTransaction: false, seedOnce: false } };
    };
    for (const name of ["0003_c.sql", "0001_a.sql", "0002_b.sql"]) cache.read(path.join(p.dir, name), name, { kind: "migration", name, version: name.slice(0, 4), path: name }, reader(name));
    expect(reads).toBe(0);
    rmSync(path.join(p.dir, "0002_b.sql"));
    expect(run(p).reads).toBe(0);
    const [cacheFile] = readdirSync(path.join(p.stateDir, "file-stats"));
    expect((JSON.parse(readFileSync(path.join(p.stateDir, "file-stats", cacheFile!), "utf8")) as { names: string[] }).names).toEqual(["0001_a.sql", "0003_c.sql"]);
  });

  it("trusts no entry of a cache whose arrays disagree", () => {
    const p = project({ "0001_a.sql": "a\n", "0002_b.sql": "b\n" });
    run(p);
    const [cacheFile] = readdirSync(path.join(p.stateDir, "file-stats"));
    const cachePath = path.join(p.stateDir, "file-stats", cacheFile!);
    const stored = JSON.parse(readFileSync(cachePath, "utf8")) as { stats: number[] };
    writeFileSync(cachePath, JSON.stringify({ ...stored, stats: stored.stats.slice(1) }));
    expect(run(p).reads).toBe(2);
    expect(run(p).reads).toBe(0);
  });

  it("starts empty from a cache it cannot parse", () => {
    const p = project({ "0001_a.sql": "create table a (id int);\n" });
    run(p);
    const [cacheFile] = readdirSync(path.join(p.stateDir, "file-stats"));
    writeFileSync(path.join(p.stateDir, "file-stats", cacheFile!), "{not json");
    expect(run(p).reads).toBe(1);
    expect(run(p).reads).toBe(0);
  });
});
