/** A sub-folder of .sql files is never skipped silently, whatever its name, nor behind a link. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readMigrationDir } from "../../src/fs/read-migration-dir.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), "dbkit-subfolders-"));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe("sub-folders of a migration folder", () => {
  it("refuses .sql files in a sub-folder whose name looks like a file's", async () => {
    const root = project({ "migrations/0001_a.sql": "select 1;\n", "migrations/archive.json/0000_old.sql": "select 0;\n", "migrations/v1.sql/0000_older.sql": "select 0;\n" });
    await expect(readMigrationDir(path.join(root, "migrations"), root)).rejects.toMatchObject({
      code: "DBKIT_UNREAD_FILES",
      message: expect.stringMatching(/archive\.json.0000_old\.sql, .*v1\.sql.0000_older\.sql/),
    });
  });

  it("refuses .sql files behind a link to a folder, and reads a folder whose sub-folders hold none", async () => {
    const root = project({ "migrations/0001_a.sql": "select 1;\n", "elsewhere/0000_old.sql": "select 0;\n", "migrations/notes.d/README.md": "old notes\n" });
    expect((await readMigrationDir(path.join(root, "migrations"), root)).files.map((file) => file.name)).toEqual(["0001_a"]);
    symlinkSync(path.join(root, "elsewhere"), path.join(root, "migrations", "old"));
    await expect(readMigrationDir(path.join(root, "migrations"), root)).rejects.toMatchObject({ code: "DBKIT_UNREAD_FILES", message: expect.stringMatching(/old.0000_old\.sql/) });
  });
});
