import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runMigrate } from "../../src/engine/migrate.js";
import { readMigrationDir } from "../../src/fs/read-migration-dir.js";
import type { MigrationFile } from "../../src/core/types.js";
import { isCollected } from "../support/garbage.js";
import { memoryDatabase, migration } from "../support/memory-database.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), "dbkit-text-on-demand-"));
  dirs.push(root);
  const dir = path.join(root, "migrations");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return { root, dir };
}

describe("migration files read with their text on demand (migrate)", () => {
  it("keep no text: each use reads the file again, and an edit since the folder was read is refused, not applied", async () => {
    const { root, dir } = folder({ "0001_a.sql": "create table a ();\n", "0002_b.sql": "create table b ();\n" });
    const { files } = await readMigrationDir(dir, root, undefined, { textOnDemand: true });
    expect(files.map((file) => file.text)).toEqual(["create table a ();\n", "create table b ();\n"]);
    // No data property holds the text: only a getter.
    const descriptor = Object.getOwnPropertyDescriptor(files[0], "text");
    expect(descriptor?.get).toBeTypeOf("function");
    expect(descriptor).not.toHaveProperty("value");
    writeFileSync(path.join(dir, "0002_b.sql"), "drop table a;\n");
    expect(files[0]!.text).toBe("create table a ();\n");
    expect(() => files[1]!.text).toThrow(expect.objectContaining({ code: "DBKIT_FILE_CHANGED", message: expect.stringContaining("0002_b.sql: the file changed while dbkit was running") }));
  });

  it("the apply holds no file's text once the file is sent: each text is asked for when needed, one file at a time", async () => {
    // Each use of a text gets a new String object (as a re-read gets a new string): a WeakRef tells
    // whether anything still holds it.
    const handedOut: { name: string; ref: WeakRef<object> }[] = [];
    const onDemand = (file: MigrationFile): MigrationFile => {
      const { text, ...rest } = file;
      return Object.defineProperty(rest, "text", {
        get: () => {
          const fresh = new String(text);
          handedOut.push({ name: file.name, ref: new WeakRef(fresh) });
          return fresh as unknown as string;
        },
      }) as MigrationFile;
    };
    const files = Array.from({ length: 20 }, (_, i) => onDemand(migration(`${String(i + 1).padStart(4, "0")}_t${i}`)));
    const db = memoryDatabase();
    const held: string[] = [];
    const apply = db.applier.applyEachInTransaction;
    db.applier.applyEachInTransaction = async (batch, options, progress) => {
      for (const file of batch) {
        void file.text; // sent, as the real applier does
        await apply([file], options, progress);
        // Every text handed out before this file's own (checks, earlier files) is free by now.
        for (const { name, ref } of handedOut.filter((entry) => entry.name !== file.name)) if (!(await isCollected(ref))) held.push(name);
        handedOut.splice(0, handedOut.length, ...handedOut.filter((entry) => entry.name === file.name));
      }
    };
    const result = await runMigrate(db, () => undefined, { files, lockTimeout: "5s", statementTimeout: "0", dbkitVersion: "test" });
    expect(result.applied).toHaveLength(20);
    expect(held).toEqual([]);
  });
});
