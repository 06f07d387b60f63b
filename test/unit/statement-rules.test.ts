import { describe, expect, it } from "vitest";
import { scanSql } from "../../src/core/sql-lexer.js";
import { findTransactionProblem } from "../../src/core/statement-rules.js";
import { parseStatements } from "../../src/sql/parse-sql.js";
import { statements } from "../support/parse.js";


describe("splitting with the real Postgres parser (no-transaction files)", () => {
  it("splits statements with their lines, keeping dollar-quoted bodies whole", async () => {
    const sql = "-- header\ncreate table t (a int);\n\ncreate function f() returns int language plpgsql as $$\nbegin\n  return 1; -- ; inside\nend;\n$$;\ninsert into t values (1);";
    const parsed = await statements(sql);
    expect(parsed.map((s) => [s.kind, s.line])).toEqual([
      ["CreateStmt", 2],
      ["CreateFunctionStmt", 4],
      ["InsertStmt", 9],
    ]);
    expect(parsed[1]!.text).toContain("return 1; -- ; inside");
  });

  it("gives string offsets, not byte offsets, for text with multi-byte characters", async () => {
    const sql = "select 'é🐘';\nselect 2;";
    const parsed = await statements(sql);
    expect(sql.slice(parsed[1]!.offset).trim()).toBe("select 2;");
  });

  it("reports syntax errors with line and column", async () => {
    expect(await parseStatements("select 1;\nselect from where;")).toMatchObject({ ok: false, location: { line: 2, column: 13 } });
  });

});

describe("statement rules for transactional files (lexical, first words)", () => {
  const problem = (sql: string) => findTransactionProblem(sql, scanSql(sql).statementEnds);

  it("finds top-level transaction control with its line, but not inside function bodies", () => {
    expect(problem("-- header\nbegin;\ncreate table t (a int);\ncommit;")).toEqual({ kind: "transaction-control", what: "BEGIN", line: 2 });
    expect(problem("create table t (a int);\n/* why */ start  transaction;")).toMatchObject({ what: "START TRANSACTION", line: 2 });
    expect(problem("savepoint a;")).toMatchObject({ what: "SAVEPOINT" });
    expect(problem("create function f() returns void language plpgsql as $$ begin commit; end $$;")).toBeUndefined();
    expect(problem("create function f() returns int language sql\nbegin atomic\n  select 1;\n  select case when true then 2 end;\nend;\ncreate table t (a int);")).toBeUndefined();
    expect(problem("create or replace procedure p() language sql begin atomic insert into t values (1); end;\ncommit;")).toMatchObject({ what: "COMMIT", line: 2 });
  });

  it("finds statements that cannot run in a transaction", () => {
    expect(problem("create table t (a int);\ncreate index concurrently i on t (a);")).toEqual({ kind: "non-transactional", what: "CREATE INDEX CONCURRENTLY", line: 2 });
    expect(problem("create unique index concurrently i on t (a);")).toMatchObject({ what: "CREATE INDEX CONCURRENTLY" });
    expect(problem("vacuum t;")).toMatchObject({ what: "VACUUM" });
    expect(problem("drop index concurrently i;")).toMatchObject({ what: "DROP INDEX CONCURRENTLY" });
    expect(problem("reindex index concurrently i;")).toMatchObject({ what: "REINDEX CONCURRENTLY" });
    expect(problem("alter system set work_mem = '8MB';")).toMatchObject({ what: "ALTER SYSTEM" });
    expect(problem("create index i on t (a); analyze t; select 'vacuum;';")).toBeUndefined();
  });
});
