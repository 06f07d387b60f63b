import { describe, expect, it } from "vitest";
import { excerptAt, locationOfPosition } from "../../src/core/sql-position.js";

describe("error positions", () => {
  it("maps a 1-based character position to line and column", () => {
    const sql = "select 1;\nselect * fro t;\n";
    expect(locationOfPosition(sql, 1)).toEqual({ line: 1, column: 1 });
    expect(locationOfPosition(sql, 11)).toEqual({ line: 2, column: 1 });
    expect(locationOfPosition(sql, 20)).toEqual({ line: 2, column: 10 });
  });

  it("counts characters, not UTF-16 units or bytes (Postgres counts characters)", () => {
    const sql = "select '🐘é';\nselect x;";
    // "select '🐘é';\n" is 13 characters; x is the 8th character of line 2.
    expect(locationOfPosition(sql, 13 + 8)).toEqual({ line: 2, column: 8 });
  });

  it("shows the lines around the error with a caret under the column", () => {
    const sql = "create table t (\n  id int,\n  name txet\n);\n";
    expect(excerptAt(sql, { line: 3, column: 8 })).toBe(["1 | create table t (", "2 |   id int,", "3 |   name txet", "  |        ^", "4 | );", "5 | "].join("\n"));
  });
});
