/** A server with standard_conforming_strings = off reads backslashes in '...' strings as escapes. */
import { describe, expect, it } from "vitest";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

async function legacyScenario(files: Record<string, string>) {
  const s = await scenario(files);
  await s.db.sql.unsafe(`alter database ${s.db.name} set standard_conforming_strings = off`);
  return s;
}

describe("standard_conforming_strings = off", () => {
  it("a COMMIT hidden by the standard reading of a string is found: nothing runs, nothing half-applied", async () => {
    // Read the standard way this is one string; the server reads a string, a COMMIT and a comment.
    const s = await legacyScenario({ "migrations/0001_tricky.sql": "create table t1 (id int);\nselect 'x\\'' as a; commit; --';\ncreate table t2 (id int);\n" });
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code, result.stdout).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_TRANSACTION_CONTROL", message: expect.stringContaining("0001_tricky.sql:2") });
    expect(await tableExists(s.db, "t1")).toBe(false);
  });

  it("a backslash-escaped quote is a string, as the server reads it, and the file applies", async () => {
    const s = await legacyScenario({ "migrations/0001_quotes.sql": "create table notes (body text);\ninsert into notes values ('it\\'s; fine');\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0001_quotes"]);
    const [row] = await s.db.sql`select body from notes`;
    expect(row?.body).toBe("it's; fine");
  });

  it("a file name with a backslash and a quote is recorded as it is", async () => {
    const s = await legacyScenario({ "migrations/0001_a\\'b.sql": "create table ab (id int);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0001_a\\'b"]);
    expect((await s.dbkit(["migrate"])).stdout).toContain("nothing to apply");
  });

  it("a no-transaction file with a backslash is refused, not split the wrong way", async () => {
    const s = await legacyScenario({ "migrations/0001_nt.sql": "-- dbkit:no-transaction\ncreate table n (body text);\ninsert into n values ('a\\'; drop table n; --');\n" });
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(2);
    expect(json(result).error.code).toBe("DBKIT_NONSTANDARD_STRINGS");
    expect(await tableExists(s.db, "n")).toBe(false);
  });
});
