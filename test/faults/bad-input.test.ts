/**
 * Bad input that the other suites do not already cover. The full list, each case with its test:
 * missing / empty migrations folder, unmatched names, empty and comment-only files (migrate.test,
 * bad-files.test); case-only duplicate names, BOM, CRLF, invalid UTF-8, UTF-16, NUL byte,
 * meta-commands, BEGIN/COMMIT, unterminated quotes, CONCURRENTLY without the directive
 * (bad-files.test, no-transaction.test, migrate.test); PL/pgSQL exceptions, a failing second
 * statement of a no-transaction file (migrate.test, no-transaction.test); URL, host, port,
 * password, database, SSL mode, read-only target, missing privileges (connection.test); flags,
 * config, --to, resolve (cli.test, migrate.test, no-transaction.test); and below.
 */
import { describe, expect, it } from "vitest";
import { json, scenario, tableExists } from "../support/scenario.js";

const GOOD = { "migrations/0001_good.sql": "create table good (id int);\n" };

describe("bad input: one clear line, the documented exit code, nothing applied", () => {
  it("mixed line endings keep line numbers right", async () => {
    const s = await scenario({ ...GOOD, "migrations/0002_mixed.sql": "create table m (id int);\r\n\nselect 1;\rselect nope from m;\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0002_mixed.sql:4:8: column \"nope\" does not exist");
    expect(await tableExists(s.db, "good")).toBe(true);
    expect(await tableExists(s.db, "m")).toBe(false);
  });

  it("a syntax error on the first line", async () => {
    const s = await scenario({ "migrations/0001_first.sql": "creat table x (id int);\ncreate table y (id int);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0001_first.sql:1:1: syntax error at or near \"creat\"");
    expect(await tableExists(s.db, "y")).toBe(false);
  });

  it("a syntax error on the last line", async () => {
    const s = await scenario({ "migrations/0001_last.sql": "create table x (id int);\ncreate table y (id int);\ninsert into x valuez (1);" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("migrations/0001_last.sql:3:15: syntax error at or near \"valuez\"");
    expect(await tableExists(s.db, "x")).toBe(false);
  });

  it("nested block comments are SQL, not an error", async () => {
    const s = await scenario({ "migrations/0001_nested.sql": "/* outer /* inner; */ still a comment; */\ncreate table nested (id int);\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await tableExists(s.db, "nested")).toBe(true);
  });

  it("a migration that violates a constraint on existing data is rolled back whole", async () => {
    const s = await scenario({ "migrations/0001_users.sql": "create table users (id int, email text);\ninsert into users values (1, null);\n" });
    await s.dbkit(["migrate"]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0002_strict.sql`, "create table audit (id int);\nalter table users alter column email set not null;\n");
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(4);
    expect(json(result).error.details).toMatchObject({ sqlstate: "23502", file: "migrations/0002_strict.sql" });
    expect(await tableExists(s.db, "audit")).toBe(false);
  });

  it("a huge file (50 MB) is applied, checked without building a parse tree", async () => {
    const rows: string[] = [];
    const line = (i: number) => `insert into big values (${i}, 'a row of text to make the file large ${i}');\n`;
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const text = line(i);
      rows.push(text);
      size += text.length;
    }
    const s = await scenario({ "migrations/0001_big.sql": `create table big (id int, note text);\n${rows.join("")}` });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    const [count] = await s.db.sql`select count(*)::int as n from big`;
    expect(count?.n).toBe(rows.length);
  }, 120_000);

  it("a huge file with a COMMIT in it is refused before anything runs", async () => {
    const filler = "insert into big values (1, 'x');\n".repeat(40_000);
    const s = await scenario({ "migrations/0001_big.sql": `create table big (id int, note text);\n${filler}commit;\n` });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`migrations/0001_big.sql:${40_002}: top-level COMMIT in a transactional migration`);
    expect(await tableExists(s.db, "big")).toBe(false);
  });
});
