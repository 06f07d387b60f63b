import { describe, expect, it } from "vitest";
import { scanSql } from "../../src/core/sql-lexer.js";

describe("scanning SQL for psql meta-commands and unterminated text", () => {
  it("finds meta-commands with their line", () => {
    const scan = scanSql("select 1;\n\\set ON_ERROR_STOP on\n\\i other.sql\nselect 2;");
    expect(scan.metaCommands.map((m) => [m.line, m.command, m.argument])).toEqual([
      [2, "\\set", "ON_ERROR_STOP on"],
      [3, "\\i", "other.sql"],
    ]);
  });

  it("ignores backslashes inside strings, E-strings, identifiers, comments and dollar quotes", () => {
    const sql = [
      "select '\\n', E'it\\'s', \"we\\ird\";",
      "-- \\set in a comment",
      "/* \\i in a /* nested */ comment */",
      "create function f() returns text language sql as $body$ select '\\x' $body$;",
      "select $$ \\connect $$;",
    ].join("\n");
    const scan = scanSql(sql);
    expect(scan.metaCommands).toEqual([]);
    expect(scan.unterminated).toBeUndefined();
  });

  it("does not take $1 or identifiers with $ for dollar quotes", () => {
    expect(scanSql("select $1, a$b$c from t; select 'x';").unterminated).toBeUndefined();
  });

  it("reports an unterminated dollar quote with the line it starts on", () => {
    expect(scanSql("select 1;\ncreate function f() returns int language sql as $fn$\nselect 1;\n").unterminated).toEqual({ kind: "dollar quote", line: 2, delimiter: "$fn$" });
  });

  it("reports unterminated strings, identifiers and nested block comments", () => {
    expect(scanSql("select 'abc;\n").unterminated).toMatchObject({ kind: "string", line: 1 });
    expect(scanSql('select "abc;\n').unterminated).toMatchObject({ kind: "quoted identifier" });
    expect(scanSql("select 1; /* outer /* inner */ still open\n").unterminated).toMatchObject({ kind: "block comment", line: 1 });
  });

  it("accepts properly nested block comments", () => {
    expect(scanSql("/* a /* b */ c */ select 1;").unterminated).toBeUndefined();
  });

  it("records top-level statement ends only", () => {
    const sql = "select ';'; select $$;$$;";
    expect(scanSql(sql).statementEnds).toEqual([10, 24]);
  });

  it("ends statements as psql does: not inside parentheses or a SQL-standard function body", () => {
    const ends = (sql: string) => scanSql(sql).statementEnds.map((end) => sql.slice(0, end + 1).split(";").length - 1);
    const atomic = "create function f(a int) returns int language sql\nbegin atomic\n  select a;\n  select case when a > 0 then 1 else 0 end;\nend;\nselect 2;";
    expect(scanSql(atomic).statementEnds.map((end) => atomic.slice(end - 3, end))).toEqual(["end", "t 2"]);
    expect(ends("create or replace procedure p() begin atomic select 1; end; select 2;")).toEqual([2, 3]);
    // BEGIN and END only count in a statement that creates a routine: elsewhere they are plain words.
    expect(ends("select 1 as begin; select 2;")).toEqual([1, 2]);
    expect(ends("select (1; 2); select 3;")).toEqual([2, 3]);
  });
});
