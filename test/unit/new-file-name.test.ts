import { describe, expect, it } from "vitest";
import { detectNamingStyle, nextFileName, sanitiseName, utcTimestamp } from "../../src/core/new-file-name.js";
import { stripJsonComments } from "../../src/config/jsonc.js";

describe("naming new files", () => {
  it("sanitises names: lower case, underscores, nothing else", () => {
    expect(sanitiseName("  Add Users table ")).toBe("add_users_table");
    expect(sanitiseName("add-RLS to chats!.sql")).toBe("add_rls_to_chats");
    expect(sanitiseName("ünïcode & stuff")).toBe("ncode_stuff");
    expect(sanitiseName("!!!")).toBe("");
  });

  it("uses a UTC timestamp by default and in timestamped folders, moving on when one is taken", () => {
    const now = new Date("2025-01-20T09:30:00.500Z");
    expect(utcTimestamp(now)).toBe("20250120093000");
    expect(nextFileName(detectNamingStyle([], { kind: "timestamp" }), "x", now, [])).toBe("20250120093000_x.sql");
    expect(nextFileName(detectNamingStyle(["20240101000000_init.sql"], { kind: "timestamp" }), "x", now, ["20250120093000_y.sql"])).toBe("20250120093001_x.sql");
  });

  it("continues a zero-padded sequence", () => {
    const style = detectNamingStyle(["0001_tables.sql", "0002_functions.sql", "0006_seed_a.sql", "0006_seed_b.sql"], { kind: "timestamp" });
    expect(style).toEqual({ kind: "sequence", width: 4, next: 7 });
    expect(nextFileName(style, "more", new Date(), [])).toBe("0007_more.sql");
  });

  it("names seeds plainly in a folder without numbers", () => {
    expect(nextFileName(detectNamingStyle(["settings.sql"], { kind: "plain" }), "models", new Date(), [])).toBe("models.sql");
  });
});

describe("dbkit.config.json comments", () => {
  it("strips line and block comments and trailing commas, not text inside strings", () => {
    const text = '{\n  // a comment\n  "a": "http://x", /* block */\n  "b": [1, 2,],\n}';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ a: "http://x", b: [1, 2] });
  });
});
