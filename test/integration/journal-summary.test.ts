/**
 * A no-op migrate proven by the journal's summary (core/journal-digest.ts): the server's digest of
 * its applied rows must be the one dbkit computes from the files, byte for byte, on every major.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import postgres from "postgres";
import { appliedDigest } from "../../src/core/journal-digest.js";
import { journalSummarySql } from "../../src/db/journal-sql.js";
import { json, scenario } from "../support/scenario.js";
import { hasPg15, startPg15 } from "../support/pg15.js";
import { createTestDatabase } from "../support/databases.js";

/** Names the way real folders write them: timestamps, padded and unpadded versions, Flyway's dots and repeatables, odd punctuation. */
const NAMES = ["20240101093000_init", "0002_add users", "0010_x", "1_z", "V1.10__big", "V1.2__small", "R__views", "0003_a-b.c", "0004_Upper", "0004_lower", "9_'quote'"];

/** The journal's names in a collation that orders them otherwise than byte by byte (ICU's root: lower case first), as a database's default may. */
async function recordRows(url: string, rows: { name: string; checksum: string; status?: string; kind?: string }[]) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`create schema if not exists dbkit;
      create table dbkit.migrations (name text collate "und-x-icu" primary key, version text not null, kind text not null, checksum text not null, status text not null,
        applied_at timestamptz not null default now(), execution_ms integer, error text)`);
    for (const row of rows) await sql`insert into dbkit.migrations (name, version, kind, checksum, status) values (${row.name}, '1', ${row.kind ?? "migration"}, ${row.checksum}, ${row.status ?? "applied"})`;
    const [summary] = await sql.unsafe<{ digest: string; unresolved: number; rows: number }[]>(journalSummarySql("dbkit.migrations"));
    return summary!;
  } finally {
    await sql.end();
  }
}

function digestCases(url: () => Promise<string>) {
  it("the server's digest of the applied rows is the one computed from the files, whatever their order and collation", async () => {
    const files = NAMES.map((name, index) => ({ name, checksum: `${index}`.repeat(64).slice(0, 64) }));
    const summary = await recordRows(await url(), [...files, { name: "0099_failed", checksum: "f", status: "failed" }, { name: "seeds.sql", checksum: "s", kind: "seed" }]);
    expect(summary.digest).toBe(appliedDigest(files));
    expect(summary.digest).toBe(appliedDigest([...files].reverse()));
    expect(summary.unresolved).toBe(1);
    expect(summary.rows).toBe(1);
    // One checksum off, or one file more: another digest.
    expect(summary.digest).not.toBe(appliedDigest(files.map((file, index) => (index === 3 ? { ...file, checksum: "x".repeat(64) } : file))));
    expect(summary.digest).not.toBe(appliedDigest([...files, { name: "0100_new", checksum: "0".repeat(64) }]));
  });

  it("an empty journal has the digest of no files", async () => {
    expect((await recordRows(await url(), [])).digest).toBe(appliedDigest([]));
  });
}

describe("the journal summary on the embedded Postgres 17", () => {
  digestCases(async () => (await createTestDatabase()).url);

  it("a no-op migrate reads the summary, not the rows; a journal that differs is read and planned", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n", "migrations/0002_b.sql": "create table b (id int);\n", "seeds/one.sql": "insert into a values (1);\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const noop = await s.dbkit(["migrate", "--verbose"]);
    expect(noop.code).toBe(0);
    expect(noop.stderr).toMatch(/sql: select encode\(sha256/);
    expect(noop.stderr).not.toMatch(/sql: select count\(\*\)::int as rows/);
    expect(json(await s.dbkit(["migrate", "--json"]))).toMatchObject({ planned: [], applied: [], missing: [], seeds: { planned: [], applied: [] } });
    await s.db.sql.unsafe("update dbkit.migrations set checksum = 'edited' where name = '0002_b'");
    const drift = await s.dbkit(["migrate"]);
    expect(drift.code).toBe(5);
    expect(drift.stderr).toMatch(/0002_b\.sql: applied .* with checksum edited/);
  });
});

describe("status from the journal summary", () => {
  it("shows each migration's time, duration and error as its row has them, without reading the rows", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n", "migrations/0002_b.sql": "create table b (id int);\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    // As a row resolved --applied after a failure keeps it.
    await s.db.sql.unsafe("update dbkit.migrations set error = 'kept from a failure', execution_ms = null where name = '0002_b'");
    const rows = await s.db.sql<{ name: string; applied_at: Date; execution_ms: number | null; error: string | null }[]>`select name, applied_at, execution_ms, error from dbkit.migrations order by name`;
    expect(json(await s.dbkit(["status", "--json"])).entries).toEqual(
      rows.map((row) => ({ name: row.name, state: "applied", file: `migrations/${row.name}.sql`, appliedAt: row.applied_at.toISOString(), executionMs: row.execution_ms, error: row.error })),
    );
    const verbose = await s.dbkit(["status", "--verbose"]);
    expect(verbose.stderr).toMatch(/sql: select encode\(sha256/);
    expect(verbose.stderr).not.toMatch(/sql: select count\(\*\)::int as rows/);
    expect(verbose.stdout).toMatch(/2 applied, 0 pending/);
    // Microseconds are cut, not rounded, from the summary as from the rows (read once a file is pending).
    await s.db.sql.unsafe("update dbkit.migrations set applied_at = '2025-03-01 10:00:00.123999+00' where name = '0001_a'");
    const fromSummary = json(await s.dbkit(["status", "--json"], { PGTZ: "America/New_York" })).entries[0];
    writeFileSync(path.join(s.dir, "migrations", "0003_c.sql"), "create table c (id int);\n");
    const fromRows = json(await s.dbkit(["status", "--json"])).entries[0];
    expect(fromSummary.appliedAt).toBe("2025-03-01T10:00:00.123Z");
    expect(fromRows).toEqual(fromSummary);
  });
});

describe.skipIf(!hasPg15)("the journal summary on Debian's Postgres 15 (skipped where it is not installed)", () => {
  digestCases(async () => {
    const server = await startPg15("journal-summary");
    return server.url();
  });
});
