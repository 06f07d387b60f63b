/** The structural differs' pure helpers: enum labels, widening type changes, expressions that parse back the same. */
import { describe, expect, it } from "vitest";
import { reparsable } from "../../src/core/diff/kinds/reparse.js";
import { isWidening } from "../../src/core/diff/kinds/type-widening.js";
import { addedLabels } from "../../src/core/diff/kinds/types.js";

describe("addedLabels", () => {
  it("adds labels before the first kept one, after their predecessor elsewhere", () => {
    expect(addedLabels(["b", "d"], ["a0", "a", "b", "c", "d", "e"])).toEqual([
      "ADD VALUE 'a0' BEFORE 'b'",
      "ADD VALUE 'a' BEFORE 'b'",
      "ADD VALUE 'c' AFTER 'b'",
      "ADD VALUE 'e' AFTER 'd'",
    ]);
    expect(addedLabels([], ["x", "it's"])).toEqual(["ADD VALUE 'x'", "ADD VALUE 'it''s'"]);
  });

  it("refuses a removed or reordered label", () => {
    expect(addedLabels(["a", "b"], ["b", "a"])).toBeUndefined();
    expect(addedLabels(["a", "b"], ["a", "c"])).toBeUndefined();
  });
});

describe("isWidening", () => {
  it.each([
    ["smallint", "integer", true],
    ["integer", "bigint", true],
    ["bigint", "integer", false],
    ["character varying(10)", "character varying(20)", true],
    ["character varying(20)", "character varying(10)", false],
    ["character varying(20)", "character varying", true],
    ["character varying(20)", "text", true],
    ["text", "character varying(20)", false],
    ["numeric(10,2)", "numeric(12,2)", true],
    ["numeric(10,2)", "numeric(10,3)", false],
    ["text", "integer", false],
  ])("%s → %s: %s", (from, to, expected) => {
    expect(isWidening(from, to)).toBe(expected);
  });
});

describe("reparsable", () => {
  it("writes a varchar IN list back as IN, and NOT IN", () => {
    expect(reparsable("CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b''s'::character varying])::text[])))")).toBe("CHECK ((kind IN ('a'::character varying, 'b''s'::character varying)))");
    expect(reparsable(`CHECK ((("Kind")::text <> ALL ((ARRAY['x'::character varying])::text[])))`)).toBe(`CHECK (("Kind" NOT IN ('x'::character varying)))`);
    expect(reparsable("CHECK (((VALUE)::text = ANY ((ARRAY['p'::character varying])::text[])))")).toBe("CHECK ((VALUE IN ('p'::character varying)))");
  });

  it("leaves other expressions alone", () => {
    for (const expression of ["CHECK ((n > 0))", "CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))", "CHECK (((kind)::text = ALL ((ARRAY['a'::character varying])::text[])))"]) {
      expect(reparsable(expression)).toBe(expression);
    }
  });
});
