import { describe, expect, it } from "vitest";
import { isoTimeFormatter } from "../../src/core/iso-time.js";

const DAY = 86_400_000;
const asDate = (ms: number) => new Date(ms).toISOString();

describe("isoTimeFormatter", () => {
  it("writes what toISOString writes, at the edges of days, years and the formatter's range", () => {
    const edges = [
      0, 1, 9, 10, 99, 100, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, DAY - 1, DAY, DAY + 1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 11, 31, 23, 59, 59, 999), Date.UTC(2025, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      // Outside it, Date's own text: a signed six-digit year, and times before 1970.
      Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1, 8.64e15, -1, -DAY, -DAY - 1, -62_198_755_200_000,
      // Fractions are truncated towards zero, as Date does.
      1.7, 1763772064123.9, -1.7,
    ];
    const format = isoTimeFormatter();
    for (const ms of edges) expect(format(ms), String(ms)).toBe(asDate(ms));
  });

  it("stays exact while consecutive times move between days, in any order", () => {
    const format = isoTimeFormatter();
    let ms = Date.UTC(2026, 10, 30, 23, 59, 58, 500);
    // A fixed pseudo-random walk: steps forward and back across midnights, each checked.
    let seed = 42;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      ms += (seed % (3 * DAY)) - DAY;
      expect(format(ms)).toBe(asDate(ms));
    }
  });

  it("throws as toISOString does for a time that is not one", () => {
    const format = isoTimeFormatter();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1]) expect(() => format(bad)).toThrow(RangeError);
  });
});
