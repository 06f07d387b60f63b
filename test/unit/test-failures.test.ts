import { describe, expect, it } from "vitest";
import { failuresInValues, unsupportedPgtapFunction } from "../../src/core/test-failures.js";

describe("reading what a test statement returned", () => {
  it("takes the failed TAP lines with what was expected and found, and ignores passes and other values", () => {
    const values = ["ok 1 - fine", "not ok 2 - sees one row\n#    found: 2 row(s)\n# expected: 1 row(s)", 42, null, "1..3", "not ok - planned 3 test(s) but ran 2"];
    expect(failuresInValues(values, 7)).toEqual([
      { line: 7, message: "not ok 2 - sees one row", found: "2 row(s)", expected: "1 row(s)" },
      { line: 7, message: "not ok - planned 3 test(s) but ran 2" },
    ]);
  });

  it("names a pgTAP function dbkit does not provide, and nothing else", () => {
    expect(unsupportedPgtapFunction("function table_privs_are(unknown, unknown, text[]) does not exist")).toMatch(/^table_privs_are\(\) is a pgTAP function dbkit test does not provide/);
    expect(unsupportedPgtapFunction("function tests.col_is_fk(unknown) does not exist")).toMatch(/^col_is_fk\(\)/);
    expect(unsupportedPgtapFunction("function my_own_helper(integer) does not exist")).toBeUndefined();
    // Provided by dbkit: a missing overload of one is the caller's error as Postgres words it.
    expect(unsupportedPgtapFunction("function row_eq(unknown, integer, unknown, unknown) does not exist")).toBeUndefined();
    expect(unsupportedPgtapFunction("function policies_are(unknown, unknown, text[]) does not exist")).toBeUndefined();
  });
});
