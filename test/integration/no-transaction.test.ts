import { describe, expect, it } from "vitest";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

const TABLE = { "migrations/0001_table.sql": "create table items (id int primary key, name text);\n" };

describe("-- dbkit:no-transaction files", () => {
  it("runs CREATE INDEX CONCURRENTLY statement by statement and records it", async () => {
    const s = await scenario({
      ...TABLE,
      "migrations/0002_concurrent.sql": "-- dbkit:no-transaction\ncreate index concurrently items_name_idx on items (name);\ncreate index concurrently items_id_name_idx on items (id, name);\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    const indexes = await s.db.sql`select indexrelid::regclass::text as name, indisvalid from pg_index where indrelid = 'items'::regclass order by 1`;
    expect(indexes.map((i) => [i.name, i.indisvalid])).toEqual([
      ["items_id_name_idx", true],
      ["items_name_idx", true],
      ["items_pkey", true],
    ]);
    const [row] = await s.db.sql`select status from dbkit.migrations where name = '0002_concurrent'`;
    expect(row?.status).toBe("applied");
  });

  it("refuses CREATE INDEX CONCURRENTLY without the directive, before touching the database", async () => {
    const s = await scenario({ ...TABLE, "migrations/0002_concurrent.sql": "\ncreate index concurrently items_name_idx on items (name);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("migrations/0002_concurrent.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction");
    expect(result.stderr).toContain("-- dbkit:no-transaction");
    expect(await tableExists(s.db, "items")).toBe(false);
  });

  it("records a failing statement as failed, blocks further migrations, and resolve --rolled-back lets it run again", async () => {
    const s = await scenario({
      ...TABLE,
      "migrations/0002_nt.sql": "-- dbkit:no-transaction\ncreate index concurrently items_name_idx on items (name);\n\ncreate index concurrently broken_idx on no_such_table (x);\n",
      "migrations/0003_after.sql": "create table after_nt (id int);\n",
    });
    const failed = await s.dbkit(["migrate", "--json"]);
    expect(failed.code).toBe(4);
    const doc = json(failed);
    expect(doc.error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", details: { file: "migrations/0002_nt.sql", line: 4, statement: 2, sqlstate: "42P01" } });
    const [row] = await s.db.sql`select status, error from dbkit.migrations where name = '0002_nt'`;
    expect(row?.status).toBe("failed");
    expect(JSON.parse(row?.error)).toMatchObject({ statement: 2, line: 4 });
    expect(await tableExists(s.db, "after_nt")).toBe(false);

    const blocked = await s.dbkit(["migrate"]);
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toContain("0002_nt is recorded as failed");
    expect(blocked.stderr).toContain("dbkit resolve 0002_nt --applied");

    const status = await s.dbkit(["status", "--check"]);
    expect(status.code).toBe(5);
    expect(status.stdout).toMatch(/0002_nt\s+failed/);

    // The user undoes the partial work and fixes the file, then tells dbkit.
    await s.db.sql`drop index items_name_idx`;
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0002_nt.sql`, "-- dbkit:no-transaction\ncreate index concurrently items_name_idx on items (name);\n");
    const resolved = await s.dbkit(["resolve", "0002_nt", "--rolled-back"]);
    expect(resolved.code, resolved.stderr).toBe(0);
    // The decision is recorded, not lost with the row: who, when, how, and what the row said.
    const history = await s.db.sql`select name, previous_status, resolution, resolved_by, error from dbkit.resolutions`;
    expect(history).toEqual([expect.objectContaining({ name: "0002_nt", previous_status: "failed", resolution: "rolled-back", resolved_by: "postgres", error: expect.stringContaining("statement") })]);
    const again = await s.dbkit(["migrate"]);
    expect(again.code, again.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0001_table", "0002_nt", "0003_after"]);
  });

  it("resolve --applied marks a failed file applied and records who resolved it", async () => {
    const s = await scenario({ ...TABLE, "migrations/0002_nt.sql": "-- dbkit:no-transaction\nvacuum items;\nselect 1/0;\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(4);
    const resolved = await s.dbkit(["resolve", "0002_nt", "--applied"]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const [row] = await s.db.sql`select status, resolution, resolved_by from dbkit.migrations where name = '0002_nt'`;
    expect(row).toMatchObject({ status: "applied", resolution: "applied", resolved_by: "postgres" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
  });

  it("resolve refuses a migration that is not failed, and one that is unknown", async () => {
    const s = await scenario(TABLE);
    await s.dbkit(["migrate"]);
    const notFailed = await s.dbkit(["resolve", "0001_table", "--applied"]);
    expect(notFailed.code).toBe(2);
    expect(notFailed.stderr).toContain("0001_table is applied, not failed or running");
    const unknown = await s.dbkit(["resolve", "0009_nope", "--rolled-back"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("0009_nope is not in the journal");
    const both = await s.dbkit(["resolve", "0001_table", "--applied", "--rolled-back"]);
    expect(both.code).toBe(2);
  });

  it("reports a syntax error in a no-transaction file with its line, applying nothing", async () => {
    const s = await scenario({ ...TABLE, "migrations/0002_nt.sql": "-- dbkit:no-transaction\ncreate index concurrently a on items (name);\ncreate indx b on items (id);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0002_nt.sql:3:8: syntax error");
    expect(await tableExists(s.db, "items")).toBe(false);
  });
});
