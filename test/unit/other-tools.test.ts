import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.js";
import { historyToolOf, withoutTables } from "../../src/core/history-tables.js";
import { adoptionHint, matchHistory, toolsKeepingTable, type OtherHistory } from "../../src/core/other-tools.js";
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
    expect(adoptionHint([{ tool: "dbmate", table: "public.schema_migrations" }, { tool: "supabase", table: "supabase_migrations.schema_migrations" }])).toContain("dbkit import dbmate or dbkit import supabase");
  });

  it("names the table when the tool kept it away from its default place", () => {
    expect(adoptionHint([{ tool: "drizzle", table: "public.migrations" }])).toContain("dbkit import drizzle --table public.migrations (");
  });
});

describe("a missing relation that is another tool's own history table", () => {
  it("names the tools that keep a table of that name, never for a name as common as migrations", () => {
    expect(toolsKeepingTable("schema_migrations")).toEqual(["dbmate", "golang-migrate"]);
    expect(toolsKeepingTable("public.flyway_schema_history")).toEqual(["Flyway"]);
    expect(toolsKeepingTable("migrations")).toEqual([]);
    expect(toolsKeepingTable("orders")).toEqual([]);
  });
});

describe("other tools' history tables told by their columns", () => {
  it("at the tool's default place, and elsewhere by a shape only that tool writes", () => {
    expect(historyToolOf("public.schema_migrations", ["version", "dirty"])).toBe("golang-migrate");
    expect(historyToolOf("public.schema_migrations", ["version"])).toBe("dbmate");
    // drizzle told to keep its table in public.migrations, where postgres-migrations keeps its own.
    expect(historyToolOf("public.migrations", ["id", "hash", "created_at"])).toBe("drizzle");
    expect(historyToolOf("public.migrations", ["id", "name", "hash", "executed_at"])).toBe("postgres-migrations");
    expect(historyToolOf("app.flyway_history", ["installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "installed_on", "execution_time", "success"])).toBe("flyway");
    expect(historyToolOf("ops.migration_log", ["version", "dirty"])).toBe("golang-migrate");
  });

  it("never a project's own table that has a tool's columns and more", () => {
    expect(historyToolOf("public.files", ["id", "hash", "created_at", "path"])).toBeUndefined();
    expect(historyToolOf("public.releases", ["version", "name", "notes"])).toBeUndefined();
  });

  it("leaves out the table and everything of it, and nothing else", () => {
    const catalog: Catalog = {
      objects: [
        { category: "tables", key: "table public.migrations", props: {} },
        { category: "columns", key: "column public.migrations.hash", props: {} },
        { category: "constraints", key: "constraint public.migrations.migrations_pkey", props: {} },
        { category: "indexes", key: "index public.migrations_pkey", props: { table: "public.migrations" } },
        { category: "sequences", key: "sequence public.migrations_id_seq", props: { ownedBy: "public.migrations.id" } },
        { category: "privileges", key: "privilege sequence public.migrations_id_seq to app", props: {} },
        { category: "privileges", key: "privilege table public.migrations to app", props: {} },
        { category: "tables", key: "table public.migrations_archive", props: {} },
        { category: "columns", key: "column public.migrations_archive.hash", props: {} },
      ],
    };
    expect(withoutTables(catalog, ["public.migrations"]).objects.map((object) => object.key)).toEqual(["table public.migrations_archive", "column public.migrations_archive.hash"]);
  });
});
