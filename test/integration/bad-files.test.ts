import { describe, expect, it } from "vitest";
import { json, scenario, tableExists } from "../support/scenario.js";

const GOOD = { "migrations/0001_good.sql": "create table good (id int);\n" };

/** Each bad file must be refused with file:line and exit 2, before anything is applied. */
describe("files refused before the database is touched", () => {
  it.each([
    ["a psql meta-command", "select 1;\n\\set ON_ERROR_STOP on\n", "0002_bad.sql:2: \\set is a psql meta-command", "DBKIT_PSQL_META_COMMAND"],
    ["an include", "\\i other.sql\n", "0002_bad.sql:1: \\i is a psql meta-command", "DBKIT_PSQL_META_COMMAND"],
    ["a top-level BEGIN", "begin;\ncreate table x (id int);\ncommit;\n", "0002_bad.sql:1: top-level BEGIN in a transactional migration", "DBKIT_TRANSACTION_CONTROL"],
    ["a top-level COMMIT", "create table x (id int);\ncommit;\n", "0002_bad.sql:2: top-level COMMIT", "DBKIT_TRANSACTION_CONTROL"],
    ["an unterminated dollar quote", "create function f() returns int language sql as $$\nselect 1;\n", "0002_bad.sql:1: unterminated dollar quote", "DBKIT_UNTERMINATED"],
    ["an unterminated string", "select 1;\ninsert into good values ('oops);\n", "0002_bad.sql:2: unterminated string", "DBKIT_UNTERMINATED"],
    ["an unknown directive", "-- dbkit:no-transactions\ncreate table x (id int);\n", "0002_bad.sql:1: unknown directive", "DBKIT_UNKNOWN_DIRECTIVE"],
  ])("refuses %s", async (_what, content, message, code) => {
    const s = await scenario({ ...GOOD, "migrations/0002_bad.sql": content });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await tableExists(s.db, "good")).toBe(false);
    const asJson = await s.dbkit(["migrate", "--json"]);
    expect(json(asJson).error.code).toBe(code);
  });

  it("reports a bad file, not the connection opened alongside the reading", async () => {
    const s = await scenario({ ...GOOD, "migrations/0002_bad.sql": "-- dbkit:no-transactions\n" });
    const unreachable = await s.dbkit(["migrate"], { DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none" });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain("0002_bad.sql:1: unknown directive");
  });

  it("refuses a statement that cannot run in a transaction, and a BEGIN ATOMIC body is not a BEGIN", async () => {
    const atomic = "create function one() returns int language sql\nbegin atomic\n  select 1;\nend;\n";
    const s = await scenario({ ...GOOD, "migrations/0002_atomic.sql": atomic, "migrations/0003_bad.sql": "create index concurrently good_id on good (id);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("0003_bad.sql:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction");
    const fixed = await scenario({ ...GOOD, "migrations/0002_atomic.sql": atomic });
    expect((await fixed.dbkit(["migrate"])).code).toBe(0);
    expect(await fixed.db.sql`select one() as v`).toEqual([{ v: 1 }]);
  });

  it("refuses invalid UTF-8, naming file and line", async () => {
    const bytes = Buffer.concat([Buffer.from("select 1;\nselect 'caf"), Buffer.from([0xe9]), Buffer.from("';\n")]);
    const s = await scenario({ ...GOOD, "migrations/0002_latin1.sql": bytes });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("migrations/0002_latin1.sql:2: invalid UTF-8");
  });

  it("refuses UTF-16", async () => {
    const s = await scenario({ ...GOOD, "migrations/0002_utf16.sql": Buffer.from("\ufeffcreate table x (id int);\n", "utf16le") });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("migrations/0002_utf16.sql: the file is UTF-16");
  });

  it("refuses a NUL byte", async () => {
    const s = await scenario({ ...GOOD, "migrations/0002_nul.sql": Buffer.from("select 1;\u0000\n") });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("migrations/0002_nul.sql:1: the file contains a NUL byte");
  });

  it("refuses names that differ only in case", async () => {
    const s = await scenario({ "migrations/0001_Init.sql": "select 1;\n", "migrations/0001_init.sql": "select 1;\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("differ only in letter case: 0001_Init / 0001_init");
  });

  it("applies an empty file and a file with only comments as no-ops", async () => {
    const s = await scenario({ "migrations/0001_empty.sql": "", "migrations/0002_comments.sql": "-- nothing yet\n/* later */\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("applied 2 migration(s)");
  });
});
