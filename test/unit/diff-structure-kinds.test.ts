/** The structural differs' pure helpers: enum labels, widening type changes, expressions that parse back the same. */
import { describe, expect, it } from "vitest";
import { reparsable } from "../../src/core/diff/kinds/reparse.js";
import { isWidening } from "../../src/core/diff/kinds/type-widening.js";
import { alterRange, createRange } from "../../src/core/diff/kinds/range-types.js";
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

describe("range types", () => {
  const props = { kind: "range", subtype: "integer", opclass: null, collation: null, canonical: null, subtypeDiff: null, multirange: "public.span_multirange" };
  const side = (more: Record<string, string | null> = {}) => ({ object: { category: "types" as const, key: "type public.span", props: { ...props, ...more } }, facts: { sql: "public.span", dependsOn: [] } });
  const change = (from?: ReturnType<typeof side>, to?: ReturnType<typeof side>) => ({ key: "type public.span", category: "types" as const, ...(from ? { from } : {}), ...(to ? { to } : {}) });

  it("creates a range with the options that are not the default", () => {
    const to = side({ opclass: "app.int_ops", collation: null, subtypeDiff: "public.int_diff" });
    expect(createRange(change(undefined, to), to)).toMatchObject({ sql: "CREATE TYPE public.span AS RANGE (SUBTYPE = integer, SUBTYPE_OPCLASS = app.int_ops, SUBTYPE_DIFF = public.int_diff, MULTIRANGE_TYPE_NAME = public.span_multirange);" });
  });

  it("does not write a range with a canonical function (it needs a shell type and a C function first)", () => {
    const to = side({ canonical: "public.span_canonical" });
    expect(createRange(change(undefined, to), to)).toEqual({ key: "type public.span", reason: expect.stringContaining("canonical function") });
  });

  it("renames a multirange in its schema; lists any other change as unsupported", () => {
    const renamed = alterRange(change(side(), side({ multirange: "public.spans" })), side(), []);
    expect(renamed.statements.map((s) => s.sql)).toEqual(["ALTER TYPE public.span_multirange RENAME TO spans;"]);
    expect(renamed.unsupported ?? []).toEqual([]);
    const moved = alterRange(change(side(), side({ multirange: "app.spans", subtype: "bigint" })), side(), []);
    expect(moved.statements).toEqual([]);
    expect(moved.unsupported).toEqual([{ key: "type public.span", reason: expect.stringContaining("subtype, multirange cannot be altered") }]);
  });
});
