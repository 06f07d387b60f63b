import { describe, expect, it } from "vitest";
import { appliedTimesOf, unpackJournal } from "../../src/db/journal-rows.js";

const S = "\x1f";
const fields = (...values: string[]) => values.join(S);

describe("the packed journal", () => {
  it("unpacks every row, with times, durations and errors", () => {
    const packed = [
      fields("0001_a", "0001", "migration", "ab12", "applied", "1763772064123", "7"),
      fields("0002_b", "0002", "migration", "cd34", "failed", "-86400001", ""),
    ].join(S);
    expect(unpackJournal({ rows: 2, packed, errors: JSON.stringify({ "0002_b": "boom\nline two" }) })).toEqual([
      { name: "0001_a", version: "0001", kind: "migration", checksum: "ab12", status: "applied", appliedAt: new Date(1763772064123), executionMs: 7, error: null },
      { name: "0002_b", version: "0002", kind: "migration", checksum: "cd34", status: "failed", appliedAt: new Date(-86400001), executionMs: null, error: "boom\nline two" },
    ]);
  });

  it("is empty for an empty journal", () => {
    expect(unpackJournal({ rows: 0, packed: null, errors: null })).toEqual([]);
  });

  it("gives up, rather than misread, when a name contains the separator", () => {
    const packed = fields("0001_a", "0001", "migration", "ab12", "applied", "1", "1", `0002_b${S}x`, "0002", "migration", "cd34", "applied", "1", "1");
    expect(unpackJournal({ rows: 2, packed, errors: null })).toBeUndefined();
  });

  it("keeps an error keyed __proto__ as data", () => {
    const packed = fields("__proto__", "0", "seed", "ab12", "failed", "1", "");
    expect(unpackJournal({ rows: 1, packed, errors: '{"__proto__":"boom"}' })?.[0]?.error).toBe("boom");
  });
});

describe("the applied times of a journal summary", () => {
  const packed = fields("0001_a", String(Date.parse("2025-03-01T10:00:00.123Z")), "7", "0002_b", String(Date.parse("2025-03-02T10:00:00.000Z")), "");
  it("finds each row by name, in order or not, with its duration and error", () => {
    const times = appliedTimesOf(2, packed, JSON.stringify({ "0002_b": "boom" }))!;
    expect(times.of("0002_b")).toEqual({ appliedAt: "2025-03-02T10:00:00.000Z", executionMs: null, error: "boom" });
    expect(times.of("0001_a")).toEqual({ appliedAt: "2025-03-01T10:00:00.123Z", executionMs: 7, error: null });
    expect(times.of("0003_c")).toBeUndefined();
  });

  it("gives up, rather than misread, when a name contains the separator", () => {
    expect(appliedTimesOf(2, `0001${S}a${S}${packed}`, null)).toBeUndefined();
    expect(appliedTimesOf(0, null, null)?.of("0001_a")).toBeUndefined();
  });
});
