import { describe, expect, it } from "vitest";
import { findNonTransactional, findTransactionControl } from "../../src/core/statement-rules.js";
import { parseStatements } from "../../src/sql/parse-sql.js";
import { statements } from "../support/parse.js";


describe("statement rules (with the real Postgres parser)", () => {
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

  it("finds top-level transaction control", async () => {
    expect(findTransactionControl(await statements("begin;\ncreate table t (a int);\ncommit;"))).toMatchObject({ kind: "TransactionStmt", line: 1 });
    expect(findTransactionControl(await statements("create function f() returns void language plpgsql as $$ begin commit; end $$;"))).toBeUndefined();
  });

  it("finds statements that cannot run in a transaction", async () => {
    expect(findNonTransactional(await statements("create table t (a int);\ncreate index concurrently i on t (a);"))).toMatchObject({ what: "CREATE INDEX CONCURRENTLY", statement: { line: 2 } });
    expect(findNonTransactional(await statements("vacuum t;"))).toMatchObject({ what: "VACUUM" });
    expect(findNonTransactional(await statements("drop index concurrently i;"))).toMatchObject({ what: "DROP INDEX CONCURRENTLY" });
    expect(findNonTransactional(await statements("reindex index concurrently i;"))).toMatchObject({ what: "REINDEX CONCURRENTLY" });
    expect(findNonTransactional(await statements("create index i on t (a); analyze t;"))).toBeUndefined();
  });
});
