import { describe, expect, it } from "vitest";
import { limitToTarget, planMigrations } from "../../src/core/plan.js";
import type { JournalRow, MigrationFile } from "../../src/core/types.js";

const file = (name: string, checksum = `sum-${name}`): MigrationFile => ({
  kind: "migration",
  name,
  version: name.split("_")[0]!,
  path: `migrations/${name}.sql`,
  text: "",
  checksum,
  directives: { noTransaction: false, seedOnce: false },
});

const row = (name: string, overrides: Partial<JournalRow> = {}): JournalRow => ({
  name,
  version: name.split("_")[0]!,
  kind: "migration",
  checksum: `sum-${name}`,
  status: "applied",
  appliedAt: new Date("2025-01-01T00:00:00Z"),
  executionMs: 3,
  error: null,
  ...overrides,
});

describe("planning", () => {
  it("pending is the set difference of files and journal, in order", () => {
    const plan = planMigrations([file("0001_a"), file("0002_b"), file("0003_c")], [row("0001_a")]);
    expect(plan.toApply.map((f) => f.name)).toEqual(["0002_b", "0003_c"]);
    expect(plan.entries.map((e) => [e.name, e.state])).toEqual([
      ["0001_a", "applied"],
      ["0002_b", "pending"],
      ["0003_c", "pending"],
    ]);
  });

  it("pairs files and rows whatever order the journal lists them in, and sorts rows without a file in among the files", () => {
    const files = [file("0001_a"), file("0002_b"), file("0003_c", "edited"), file("0005_e"), file("0010_j")];
    const rows = [row("0010_j"), row("0003_c"), row("0004_gone"), row("0001_a"), row("0002_b", { status: "failed" })];
    const plan = planMigrations(files, rows);
    expect(plan.entries.map((entry) => `${entry.name} ${entry.state}`)).toEqual(["0001_a applied", "0002_b failed", "0003_c changed", "0004_gone missing", "0005_e pending", "0010_j applied"]);
    expect(plan.entries.find((entry) => entry.name === "0010_j")?.row).toBe(rows[0]);
    expect(plan.outOfOrder.map((entry) => entry.name)).toEqual(["0005_e"]);
    // Files given out of order are planned in migration order all the same.
    expect(planMigrations([file("0002_b"), file("0001_a")], [row("0001_a"), row("0002_b")]).entries.map((entry) => entry.name)).toEqual(["0001_a", "0002_b"]);
  });

  it("detects changed files by checksum", () => {
    const plan = planMigrations([file("0001_a", "new")], [row("0001_a")]);
    expect(plan.changed.map((e) => e.name)).toEqual(["0001_a"]);
    expect(plan.toApply).toEqual([]);
  });

  it("detects applied migrations whose file is gone", () => {
    const plan = planMigrations([file("0002_b")], [row("0001_a"), row("0002_b")]);
    expect(plan.missing.map((e) => e.name)).toEqual(["0001_a"]);
    expect(plan.entries[0]).toMatchObject({ name: "0001_a", state: "missing" });
  });

  it("detects pending files that sort before the newest applied one", () => {
    const plan = planMigrations([file("0001_a"), file("0002_late"), file("0003_c")], [row("0001_a"), row("0003_c")]);
    expect(plan.outOfOrder.map((e) => e.name)).toEqual(["0002_late"]);
    expect(plan.toApply.map((f) => f.name)).toEqual(["0002_late"]);
  });

  it("is not out of order when the pending file sorts after everything applied", () => {
    expect(planMigrations([file("0001_a"), file("0002_b")], [row("0001_a")]).outOfOrder).toEqual([]);
  });

  it("reports failed and running rows as unresolved", () => {
    const plan = planMigrations([file("0001_a"), file("0002_b")], [row("0001_a", { status: "failed" }), row("0002_b", { status: "running" })]);
    expect(plan.unresolved.map((e) => [e.name, e.state])).toEqual([
      ["0001_a", "failed"],
      ["0002_b", "running"],
    ]);
  });

  it("limits to a --to target by name or by version", () => {
    const plan = planMigrations([file("0001_a"), file("0002_b"), file("0002_c"), file("0003_d")], []);
    expect(limitToTarget(plan, "0002_b")).toMatchObject({ kind: "found", toApply: [{ name: "0001_a" }, { name: "0002_b" }] });
    expect(limitToTarget(plan, "2")).toMatchObject({ kind: "found", toApply: [{ name: "0001_a" }, { name: "0002_b" }, { name: "0002_c" }] });
    expect(limitToTarget(plan, "0009_zzz")).toEqual({ kind: "unknown" });
  });

  it("says when a --to target is already applied", () => {
    const plan = planMigrations([file("0001_a"), file("0002_b")], [row("0001_a")]);
    expect(limitToTarget(plan, "0001_a")).toEqual({ kind: "already-applied", name: "0001_a" });
  });
});
