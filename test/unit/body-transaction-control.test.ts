import { describe, expect, it } from "vitest";
import { calledProcedure, proceduresEndingTransactionsIn, transactionControlInBody } from "../../src/core/body-transaction-control.js";
import { locateFailedStatement } from "../../src/core/failed-statement.js";

describe("COMMIT and ROLLBACK inside bodies", () => {
  it("finds them in DO blocks, not in strings, comments or other words", () => {
    expect(transactionControlInBody("do $$ begin insert into t values (1); commit; end $$")).toMatchObject({ what: "COMMIT" });
    expect(transactionControlInBody("do $x$ begin if true then rollback and chain; end if; end $x$")).toMatchObject({ what: "ROLLBACK" });
    expect(transactionControlInBody("do $$ begin raise notice 'commit;'; -- commit;\nend $$")).toBeUndefined();
    expect(transactionControlInBody("do $$ begin perform committed_at from t; end $$")).toBeUndefined();
  });

  it("knows the procedures that commit and the CALLs of them", () => {
    const names = proceduresEndingTransactionsIn(["create or replace procedure app.batch() language plpgsql as $$ begin commit; end $$;\ncreate procedure quiet() language sql as $$ select 1 $$;"]);
    expect([...names].sort()).toEqual(["app.batch", "batch"]);
    expect(calledProcedure("CALL App.Batch()")).toBe("app.batch");
    expect(calledProcedure('call "Mixed"(1)')).toBe("Mixed");
  });
});

describe("the statement a positionless error came from", () => {
  it("is the one naming every object of the message; for 'already exists' the second such statement", () => {
    const text = "create table a (id int);\n-- role for readers\ngrant select on a to reader;\n";
    expect(locateFailedStatement(text, 'role "reader" does not exist', "42704")).toEqual({ line: 3, column: 1 });
    const twice = "create table t (c int);\nalter table t add column c int;\n";
    expect(locateFailedStatement(twice, 'column "c" of relation "t" already exists', "42701")).toEqual({ line: 2, column: 1 });
    // The role existed before the file: the CREATE failed, not the GRANT that names it later.
    const made = "create role app_reader nologin;\ncreate table notes (id int);\ngrant select on notes to app_reader;\n";
    expect(locateFailedStatement(made, 'role "app_reader" already exists', "42710")).toEqual({ line: 1, column: 1 });
    expect(locateFailedStatement(text, "division by zero", "22012")).toBeUndefined();
    expect(locateFailedStatement(text, 'relation "readers" does not exist', "42P01")).toBeUndefined();
    expect(locateFailedStatement("-- one statement\n\nselect 1 / 0;\n", "division by zero", "22012")).toEqual({ line: 3, column: 1 });
  });
});
