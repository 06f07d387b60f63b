/**
 * Errors name the line even when Postgres gives no position; every file that cannot run in a
 * transaction is named in one refusal; COMMIT inside DO blocks and procedures is refused before
 * anything runs; a refused run installs nothing.
 */
import { describe, expect, it } from "vitest";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

const GOOD = { "migrations/0001_good.sql": "create table good (id int);\n" };

describe("the line of the statement that failed, when the server gives no position", () => {
  it.each([
    ["an extension that is not available", "create table a (id int);\n\n-- the embedding column needs it\ncreate extension if not exists dbkit_missing_extension;\n", "0002_bad.sql:4:1: extension \"dbkit_missing_extension\" is not available"],
    ["a role that does not exist", "create table a (id int);\ngrant select on a to dbkit_missing_role;\n", '0002_bad.sql:2:1: role "dbkit_missing_role" does not exist'],
    ["a column that already exists (made earlier in the file)", "create table a (id int, email text);\ncreate index a_id on a (id);\n\nalter table a\n  add column email text;\n", '0002_bad.sql:4:1: column "email" of relation "a" already exists'],
    ["a table that already exists (made by an earlier file)", "create table a (id int);\n\ncreate table good (id int);\n", '0002_bad.sql:3:1: relation "good" already exists'],
  ])("names the line of %s", async (_what, content, message) => {
    const s = await scenario({ ...GOOD, "migrations/0002_bad.sql": content });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain(message);
    expect(await tableExists(s.db, "a")).toBe(false);
  });
});

describe("everything that cannot run in a transaction, refused at once before anything runs", () => {
  it("lists every pending file that cannot run in a transaction in one refusal", async () => {
    const s = await scenario({
      ...GOOD,
      "migrations/0002_index.sql": "create index concurrently good_id on good (id);\n",
      "migrations/0003_fine.sql": "create table fine (id int);\n",
      "migrations/0004_vacuum.sql": "select 1;\nvacuum good;\n",
      "migrations/0005_commit.sql": "create table c (id int);\ncommit;\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("3 pending migrations cannot run as written");
    expect(result.stderr).toContain("0002_index.sql:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction");
    expect(result.stderr).toContain("0004_vacuum.sql:2: VACUUM cannot run inside a transaction");
    expect(result.stderr).toContain("0005_commit.sql:2: top-level COMMIT");
    expect(result.stderr).toContain("-- dbkit:no-transaction");
    // Each refused file on a line of its own, as its message (not "[object Object]").
    expect(result.stderr).toContain("\n  - migrations/0004_vacuum.sql:2: VACUUM cannot run inside a transaction");
    expect(result.stderr).not.toContain("[object Object]");
    expect(await tableExists(s.db, "good")).toBe(false);
    const asJson = json(await s.dbkit(["migrate", "--json"]));
    expect(asJson.error.code).toBe("DBKIT_BAD_FILES");
    expect(asJson.error.details.problems.map((problem: { file: string }) => problem.file)).toEqual(["migrations/0002_index.sql", "migrations/0004_vacuum.sql", "migrations/0005_commit.sql"]);
  });

  it("refuses a COMMIT inside a DO block before anything runs, naming the directive; with it the file runs", async () => {
    const body = "create table batches (n int);\ndo $$\nbegin\n  for i in 1..3 loop\n    insert into batches values (i);\n    commit;\n  end loop;\nend\n$$;\n";
    const s = await scenario({ ...GOOD, "migrations/0002_batches.sql": body });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("0002_batches.sql:6: COMMIT inside a DO block cannot run inside the transaction");
    expect(result.stderr).toContain("-- dbkit:no-transaction");
    expect(await tableExists(s.db, "good")).toBe(false);
    const fixed = await scenario({ ...GOOD, "migrations/0002_batches.sql": `-- dbkit:no-transaction\n${body}` });
    const ok = await fixed.dbkit(["migrate"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await fixed.db.sql`select count(*)::int as n from batches`).toEqual([{ n: 3 }]);
  });

  it("refuses a CALL of a procedure that commits, even one created by an applied file", async () => {
    const procedure = "create procedure public.backfill()\nlanguage plpgsql as $body$\nbegin\n  -- commit in batches\n  update good set id = id;\n  COMMIT;\nend;\n$body$;\n";
    const s = await scenario({ ...GOOD, "migrations/0002_procedure.sql": procedure });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await import("node:fs/promises").then((fs) => fs.writeFile(`${s.dir}/migrations/0003_backfill.sql`, "select 1;\ncall backfill();\n"));
    const refused = await s.dbkit(["migrate"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("0003_backfill.sql:2: CALL of procedure backfill, which runs COMMIT or ROLLBACK, cannot run inside the transaction");
    expect(refused.stderr).toContain("-- dbkit:no-transaction");
    expect(await journalNames(s.db)).toEqual(["0001_good", "0002_procedure"]);
  });

  it("installs nothing (no Supabase base) when the run is refused", async () => {
    const s = await scenario({
      "dbkit.config.json": JSON.stringify({ supabase: true }),
      ...GOOD,
      "migrations/0002_index.sql": "create index concurrently good_id on good (id);\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("installed the Supabase base");
    const [row] = await s.db.sql`select count(*)::int as n from pg_namespace where nspname in ('auth', 'storage', 'extensions')`;
    expect(row!.n).toBe(0);
  });
});
