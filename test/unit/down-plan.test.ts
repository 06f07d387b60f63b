import { describe, expect, it } from "vitest";
import { planDown } from "../../src/core/down-plan.js";
import type { JournalRow, MigrationFile } from "../../src/core/types.js";

const file = (name: string, version: string, down = true): MigrationFile => ({
  kind: "migration", name, version, path: `m/${name}.sql`, text: "", checksum: name, directives: { noTransaction: false, seedOnce: false },
  ...(down ? { down: { path: `m/${name}.down.sql`, text: "", noTransaction: false } } : {}),
});
const row = (f: MigrationFile, status: JournalRow["status"] = "applied"): JournalRow => ({ name: f.name, version: f.version, kind: "migration", checksum: f.checksum, status, appliedAt: new Date(0), executionMs: 1, error: null });

const files = [file("1_a", "1"), file("2_b", "2"), file("10_c", "10")];
const names = (plan: ReturnType<typeof planDown>) => (plan.ok ? plan.steps.map((step) => step.file.name) : plan);

describe("planDown", () => {
  it("reverts the newest by version, --steps N, and --to keeps the target (0: everything)", () => {
    const rows = files.map((f) => row(f));
    expect(names(planDown(files, rows, {}))).toEqual(["10_c"]);
    expect(names(planDown(files, rows, { steps: 2 }))).toEqual(["10_c", "2_b"]);
    expect(names(planDown(files, rows, { to: "2" }))).toEqual(["10_c"]);
    expect(names(planDown(files, rows, { to: "1_a" }))).toEqual(["10_c", "2_b"]);
    expect(names(planDown(files, rows, { to: "0" }))).toEqual(["10_c", "2_b", "1_a"]);
    expect(planDown(files, rows, { to: "7" })).toEqual({ ok: false, reason: "unknown-target", target: "7" });
  });

  it("refuses unresolved rows, gone or changed files and migrations without a down, listing them all", () => {
    expect(planDown(files, [row(files[0]!), row(files[1]!, "failed")], {})).toMatchObject({ ok: false, reason: "unresolved", name: "2_b" });
    const changed = { ...row(files[1]!), checksum: "other" };
    const noDown = [files[0]!, files[1]!, file("10_c", "10", false)];
    expect(planDown(noDown, [row(files[0]!), changed, row(files[2]!), row(file("11_gone", "11"))], { steps: 3 })).toEqual({
      ok: false, reason: "not-revertible", missingFile: ["11_gone"], changed: ["m/2_b.sql"], withoutDown: ["m/10_c.sql"],
    });
  });
});
