import { describe, expect, it } from "vitest";
import type { MigrationFile } from "../../src/core/types.js";
import { migrationErrorFor } from "../../src/db/migration-errors.js";
import { MigrationFileError } from "../../src/errors.js";

const TARGET = { host: "127.0.0.1", port: 5432, database: "app", user: "app" };
const serverError = () => Object.assign(new Error('relation "missing" does not exist'), { code: "42P01", severity: "ERROR", position: "25" });
const file = (text: () => string): MigrationFile => ({
  kind: "migration",
  name: "0001_a",
  version: "0001",
  path: "migrations/0001_a.sql",
  checksum: "c",
  directives: { noTransaction: false, seedOnce: false },
  get text() {
    return text();
  },
});

describe("the error of a migration the server refused", () => {
  it("points at the file's line, with an excerpt", () => {
    const error = migrationErrorFor(serverError(), file(() => "create table a ();\nselect * from missing;\n"), TARGET);
    expect(error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", message: 'migrations/0001_a.sql:2:6: relation "missing" does not exist (SQLSTATE 42P01)' });
    expect(error.details?.excerpt).toContain("select * from missing");
  });

  it("stays the server's error when the file changed on disk after it was sent, said without a line", () => {
    const changed = file(() => {
      throw new MigrationFileError("DBKIT_FILE_CHANGED", "migrations/0001_a.sql: the file changed while dbkit was running", { hint: "run the command again" });
    });
    const error = migrationErrorFor(serverError(), changed, TARGET);
    expect(error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", message: 'migrations/0001_a.sql: relation "missing" does not exist (SQLSTATE 42P01)' });
    expect(error.hint).toMatch(/the file changed after it was sent, so no line is shown/);
    expect(error.details).not.toHaveProperty("excerpt");
  });
});
