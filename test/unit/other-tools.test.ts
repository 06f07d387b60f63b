import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { adoptionHint, matchHistory, type OtherHistory } from "../../src/core/other-tools.js";
import type { MigrationFile } from "../../src/core/types.js";

const file = (name: string, version: string, checksum = `sum-${name}`): MigrationFile => ({ kind: "migration", name, version, path: `migrations/${name}.sql`, text: "", checksum, directives: {} as MigrationFile["directives"] });
const FILES = [file("0001_a", "0001"), file("0002_b", "0002"), file("0003_c", "0003")];
const history = (more: Partial<OtherHistory>): OtherHistory => ({ tool: "dbmate", table: "public.schema_migrations", entries: [], ...more });

describe("matching another tool's history to local files", () => {
  it("by name, by version (padding aside), by hash, and reports both sides of what does not match", () => {
    const match = matchHistory(history({ entries: [{ label: "1", version: "1" }, { label: "0002_b", name: "0002_b" }, { label: "9", version: "9" }] }), FILES);
    expect(match.applied.map((f) => f.name)).toEqual(["0001_a", "0002_b"]);
    expect(match.entriesWithoutFile).toEqual(["9"]);
    expect(match.filesWithoutEntry).toEqual(["0003_c"]);
    expect(matchHistory(history({ entries: [{ label: "h", hash: "sum-0003_c" }] }), FILES).applied.map((f) => f.name)).toEqual(["0003_c"]);
  });

  it("a version bound (golang-migrate) and drizzle's newest created_at against meta/_journal.json", () => {
    expect(matchHistory(history({ upTo: "2" }), FILES).applied.map((f) => f.name)).toEqual(["0001_a", "0002_b"]);
    const when = new Map([["0001_a", 100], ["0002_b", 200], ["0003_c", 300]]);
    expect(matchHistory(history({ drizzleUpTo: 200 }), FILES, when).applied.map((f) => f.name)).toEqual(["0001_a", "0002_b"]);
  });

  it("tells a file edited since the tool applied it (Prisma's checksum), and only then", () => {
    const entries = [
      { label: "0001_a", name: "0001_a", checksum: "sum-0001_a" },
      { label: "0002_b", name: "0002_b", checksum: "old-sum" },
      { label: "0003_c", name: "0003_c" },
    ];
    const match = matchHistory(history({ tool: "prisma", table: "public._prisma_migrations", entries }), FILES);
    expect(match.applied.map((f) => f.name)).toEqual(["0001_a", "0002_b", "0003_c"]);
    expect(match.changedSinceApplied).toEqual(["0002_b"]);
    // Recorded with the checksum the tool applied, so the edit shows as a changed applied file.
    expect(match.applied.map((f) => f.checksum)).toEqual(["sum-0001_a", "old-sum", "sum-0003_c"]);
    // A Windows checkout of the same file (the tool hashed CRLF) is not an edit.
    const text = "create table a (id int);\n";
    const crlf = createHash("sha256").update(text.replace(/\n/g, "\r\n")).digest("hex");
    const local = { ...file("0001_a", "0001", createHash("sha256").update(text).digest("hex")), text };
    expect(matchHistory(history({ tool: "prisma", entries: [{ label: "0001_a", name: "0001_a", checksum: crlf }] }), [local]).changedSinceApplied).toEqual([]);
  });

  it("names the import command for each tool found", () => {
    expect(adoptionHint([{ tool: "dbmate" }, { tool: "supabase" }])).toContain("dbkit import dbmate or dbkit import supabase");
  });
});
