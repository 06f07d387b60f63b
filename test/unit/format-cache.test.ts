/**
 * Other tools' folders through the stat cache: what a format derives from a file (dbmate's up
 * section and checksum, downs, no-transaction markers) is the same whether the file was read or
 * came from the cache, and a cached file's text is not read to get there.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { readMigrationDir } from "../../src/fs/read-migration-dir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

describe.each([
  ["dbmate", "db/migrations"],
  ["golang-migrate", "migrations"],
  ["postgres-migrations", "migrations"],
  ["flyway", "sql"],
])("a %s folder read twice with the stat cache", (fixture, folder) => {
  it("derives the same files, without reading cached texts", async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), "dbkit-state-"));
    onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
    const root = path.join(FIXTURES, fixture);
    const first = await readMigrationDir(path.join(root, folder), root, stateDir);
    const second = await readMigrationDir(path.join(root, folder), root, stateDir);
    const lazy = second.files.filter((file) => Object.getOwnPropertyDescriptor(file, "text")?.get !== undefined);
    // Fixture files checked out moments ago are too fresh to cache (see file-stat-cache.ts).
    // A dbmate folder is told from its files, so it shares dbkit's cache; the others have their own.
    const cached = existsSync(path.join(stateDir, "file-stats")) || existsSync(path.join(stateDir, fixture, "file-stats"));
    if (cached) expect(lazy).toHaveLength(second.files.length);
    const facts = (files: typeof first.files) =>
      files.map((file) => ({ name: file.name, version: file.version, checksum: file.checksum, noTransaction: file.directives.noTransaction, repeatable: file.repeatable, text: file.text, down: file.down && { path: file.down.path, text: file.down.text, noTransaction: file.down.noTransaction } }));
    expect(second.format).toBe(first.format);
    expect(facts(second.files)).toEqual(facts(first.files));
    expect(first.files.some((file) => file.down || file.directives.noTransaction || file.repeatable)).toBe(true);
  });
});

describe("a drizzle folder", () => {
  it("keeps each file's journal `when` (drizzle's created_at) and version by journal position", async () => {
    const root = path.join(FIXTURES, "drizzle");
    const { files, warnings } = await readMigrationDir(path.join(root, "drizzle"), root);
    expect(files.map((file) => [file.name, file.version, file.journalWhen])).toEqual([
      ["0000_spooky_mister_fear", "0000", 1718000000000],
      ["0001_loose_sunfire", "0001", 1718100000000],
    ]);
    expect(warnings.join("\n")).toContain("0002_abandoned_draft.sql");
  });
});
