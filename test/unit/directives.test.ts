import { describe, expect, it } from "vitest";
import { parseDirectives } from "../../src/core/directives.js";

describe("directives", () => {
  it("reads -- dbkit:no-transaction from the leading comments", () => {
    expect(parseDirectives("-- Build an index without locking writes\n-- dbkit:no-transaction\ncreate index concurrently i on t (a);").directives.noTransaction).toBe(true);
    expect(parseDirectives("\n\n--dbkit:no-transaction\nselect 1;").directives.noTransaction).toBe(true);
  });

  it("ignores directives after the first statement", () => {
    expect(parseDirectives("select 1;\n-- dbkit:no-transaction\n").directives.noTransaction).toBe(false);
  });

  it("reads -- dbkit:seed once", () => {
    expect(parseDirectives("-- dbkit:seed once\ninsert into t values (1);").directives.seedOnce).toBe(true);
  });

  it("reports unknown dbkit: directives instead of ignoring a typo", () => {
    const { problems } = parseDirectives("-- dbkit:no-transactions\nselect 1;");
    expect(problems).toEqual([{ line: 1, text: "-- dbkit:no-transactions" }]);
  });

  it("leaves ordinary comments alone", () => {
    expect(parseDirectives("-- just a comment about dbkit\nselect 1;")).toEqual({ directives: { noTransaction: false, seedOnce: false }, problems: [] });
  });
});
