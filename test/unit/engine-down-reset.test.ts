/** `down` and `reset` decisions through the in-memory journal and applier: no database. */
import { describe, expect, it } from "vitest";
import { runDown } from "../../src/engine/down.js";
import type { DbkitEvent } from "../../src/engine/events.js";
import { runReset } from "../../src/engine/reset.js";
import type { ResetPlan } from "../../src/engine/ports.js";
import type { MigrationFile } from "../../src/core/types.js";
import { journalRow, memoryDatabase, migration } from "../support/memory-database.js";

const SETTINGS = { lockTimeout: "5s", statementTimeout: "0", dbkitVersion: "test" };

function withDown(file: MigrationFile): MigrationFile {
  return { ...file, down: { path: file.path.replace(".sql", ".down.sql"), text: `drop table t_${file.name};\n`, noTransaction: false } };
}

describe("down decides", () => {
  const [a, b, c] = [withDown(migration("0001_a")), withDown(migration("0002_b")), withDown(migration("0003_c"))];

  it("reverts the newest applied migration by default, and --steps N the newest N, newest first", async () => {
    const db = memoryDatabase([journalRow(a), journalRow(b), journalRow(c)]);
    expect((await runDown(db, () => undefined, { files: [a, b, c], ...SETTINGS })).reverted.map((step) => step.name)).toEqual(["0003_c"]);
    await runDown(db, () => undefined, { files: [a, b, c], steps: 2, ...SETTINGS });
    expect(db.ran).toEqual(["down 0003_c", "down 0002_b", "down 0001_a"]);
    expect(db.rows).toEqual([]);
  });

  it("with --dry-run plans and reverts nothing", async () => {
    const db = memoryDatabase([journalRow(a), journalRow(b)]);
    const result = await runDown(db, () => undefined, { files: [a, b], to: "0", dryRun: true, ...SETTINGS });
    expect(result.planned.map((step) => step.name)).toEqual(["0002_b", "0001_a"]);
    expect(db.ran).toEqual([]);
  });

  it("refuses, reverting nothing, when a migration to revert has no down (exit 2) or changed since it was applied (exit 5)", async () => {
    const db = memoryDatabase([journalRow(a), journalRow(migration("0002_b"))]);
    await expect(runDown(db, () => undefined, { files: [a, migration("0002_b")], to: "0", ...SETTINGS })).rejects.toMatchObject({ code: "DBKIT_NO_DOWN", exitCode: 2 });
    const edited = withDown(migration("0002_b", "create table b_edited ();\n"));
    await expect(runDown(db, () => undefined, { files: [a, edited], to: "0", ...SETTINGS })).rejects.toMatchObject({ code: "DBKIT_DOWN_REFUSED", exitCode: 5 });
    expect(db.ran).toEqual([]);
  });
});

describe("reset decides", () => {
  it("drops public and the schemas the migrations create, plus the journal schema, and reports what it left", async () => {
    const plans: ResetPlan[] = [];
    const events: DbkitEvent[] = [];
    const files = [migration("0001_a", "create schema app;\ncreate table app.t (id int);\n"), migration("0002_b", "create table public.u (id int);\n")];
    const result = await runReset(
      async (plan) => {
        plans.push(plan);
        return { droppedSchemas: plan.owned, removed: [], skipped: ["role x: still owns objects"], protectedSchemas: [] };
      },
      (event) => events.push(event),
      { files, journalSchema: "dbkit" },
    );
    expect(plans[0]).toMatchObject({ owned: expect.arrayContaining(["public", "app"]), journalSchema: "dbkit" });
    expect(result.owned).toEqual(expect.arrayContaining(["public", "app"]));
    expect(events).toContainEqual({ type: "warning", message: "not removed: role x: still owns objects" });
  });
});
