import { writeFile, rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { json, scenario } from "../support/scenario.js";

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\n",
  "migrations/0002_b.sql": "create table b (id int);\n",
};

describe("dbkit status", () => {
  it("shows pending migrations on a fresh database, and --check exits 6", async () => {
    const s = await scenario(FILES);
    const result = await s.dbkit(["status"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/0001_a\s+pending/);
    expect(result.stdout).toContain("0 applied, 2 pending (pending work)");
    expect(result.stderr).toMatch(/database: .*\/dbkit_test_\w+ as postgres/);
    expect((await s.dbkit(["status", "--check"])).code).toBe(6);
  });

  it("shows applied migrations with time and duration; --check exits 0 when in sync", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["migrate"]);
    const result = await s.dbkit(["status"]);
    expect(result.stdout).toMatch(/0002_b\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+ ms/);
    expect(result.stdout).toContain("2 applied, 0 pending (in sync)");
    expect((await s.dbkit(["status", "--check"])).code).toBe(0);
  });

  it("reads journal rows whose names hold the packed journal's separator, and their errors", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["migrate"]);
    // Written by hand, as no file could name them: the packed read must fall back, not misread.
    await s.db.sql`insert into dbkit.migrations (name, version, checksum, status, execution_ms, dbkit_version, error, applied_at)
      values (${"0003_odd\x1fname"}, '0003', 'ab', 'failed', null, 'x', ${"boom\nsecond line"}, '1999-12-31 23:59:59.999+00')`;
    const doc = json(await s.dbkit(["status", "--json"]));
    expect(doc.entries.map((e: { name: string; state: string }) => [e.name, e.state])).toEqual([
      ["0001_a", "applied"],
      ["0002_b", "applied"],
      ["0003_odd\x1fname", "failed"],
    ]);
    expect(doc.entries[2]).toMatchObject({ appliedAt: "1999-12-31T23:59:59.999Z", executionMs: null, error: "boom\nsecond line" });
    expect(doc.entries[0].appliedAt).toMatch(/^\d{4}-/);
    expect(doc.entries[0].executionMs).toEqual(expect.any(Number));
  });

  it("shows a failed row's error and time from the packed journal", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["migrate"]);
    await s.db.sql`insert into dbkit.migrations (name, version, checksum, status, execution_ms, dbkit_version, error, applied_at)
      values ('0003_c', '0003', 'ab', 'failed', 12, 'x', ${"boom\nsecond line"}, '2001-02-03 04:05:06.7896+00')`;
    const doc = json(await s.dbkit(["status", "--json"]));
    expect(doc.entries[2]).toMatchObject({ name: "0003_c", state: "failed", appliedAt: "2001-02-03T04:05:06.789Z", executionMs: 12, error: "boom\nsecond line" });
    expect(doc.entries[1]).toMatchObject({ name: "0002_b", state: "applied", error: null });
  });

  it("shows changed and missing files; --check exits 5", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["migrate"]);
    await writeFile(`${s.dir}/migrations/0001_a.sql`, "create table a (id bigint);\n");
    await rm(`${s.dir}/migrations/0002_b.sql`);
    const result = await s.dbkit(["status"]);
    expect(result.stdout).toMatch(/0001_a\s+changed/);
    expect(result.stdout).toMatch(/0002_b\s+missing/);
    expect((await s.dbkit(["status", "--check"])).code).toBe(5);
  });

  it("--check agrees with migrate on a file merged in out of order: exit 5 naming it and --allow-out-of-order", async () => {
    const s = await scenario({ "migrations/0001_a.sql": FILES["migrations/0001_a.sql"], "migrations/0003_c.sql": "create table c (id int);\n" });
    await s.dbkit(["migrate"]);
    await writeFile(`${s.dir}/migrations/0002_b.sql`, FILES["migrations/0002_b.sql"]); // from another branch
    const check = await s.dbkit(["status", "--check"]);
    expect(check.code).toBe(5);
    expect(check.stdout).toContain("out of order: 0002_b");
    expect(check.stdout).toContain("--allow-out-of-order");
    expect(json(await s.dbkit(["status", "--json"]))).toMatchObject({ outOfOrder: ["0002_b"], drift: true });
    expect((await s.dbkit(["migrate"])).code).toBe(5);
  });

  it("--json prints one document with every entry", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["migrate", "--to", "0001_a"]);
    const result = await s.dbkit(["status", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const doc = json(result);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      ok: true,
      command: "status",
      counts: { applied: 1, pending: 1 },
      inSync: false,
      pending: true,
      drift: false,
      target: { database: s.db.name },
    });
    expect(doc.entries.map((e: { name: string; state: string }) => [e.name, e.state])).toEqual([
      ["0001_a", "applied"],
      ["0002_b", "pending"],
    ]);
  });

  it("makes no change to the database, not even the journal", async () => {
    const s = await scenario(FILES);
    await s.dbkit(["status"]);
    const [row] = await s.db.sql`select to_regnamespace('dbkit') is null as absent`;
    expect(row?.absent).toBe(true);
  });
});
