import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/load-config.js";
import { ConfigError } from "../../src/errors.js";

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-config-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const write = (name: string, content: string) => writeFile(path.join(dir, name), content);

describe("settings precedence: flags > environment > .env > config file > defaults", () => {
  it("uses defaults with nothing configured", () => {
    const s = loadSettings({}, dir, {});
    expect(s).toMatchObject({ databaseUrl: undefined, journalSchema: "dbkit", lockTimeout: "5s", statementTimeout: "0", migrationsDir: path.join(dir, "migrations") });
  });

  it("applies each layer over the one below", async () => {
    await write("dbkit.config.json", JSON.stringify({ lockTimeout: "1s", journalSchema: "from_file", migrationsDir: "file_dir", statementTimeout: "9s" }));
    await write(".env", "DBKIT_LOCK_TIMEOUT=2s\nDBKIT_JOURNAL_SCHEMA=from_dotenv\nDBKIT_MIGRATIONS_DIR=dotenv_dir\n");
    const env = { DBKIT_LOCK_TIMEOUT: "3s", DBKIT_JOURNAL_SCHEMA: "from_env" };
    const s = loadSettings({ lockTimeout: "4s" }, dir, env);
    expect(s.lockTimeout).toBe("4s"); // flag
    expect(s.journalSchema).toBe("from_env"); // environment over .env and file
    expect(s.migrationsDir).toBe(path.join(dir, "dotenv_dir")); // .env over file
    expect(s.statementTimeout).toBe("9s"); // file over default
  });

  it("takes the URL from --url, then DATABASE_URL, POSTGRES_URL, SUPABASE_DB_URL, environment before .env", async () => {
    await write(".env", "DATABASE_URL=postgres://dotenv@h/d\n");
    expect(loadSettings({ url: "postgres://flag@h/d" }, dir, { DATABASE_URL: "postgres://env@h/d" }).databaseUrl).toEqual({ value: "postgres://flag@h/d", source: "--url" });
    expect(loadSettings({}, dir, { POSTGRES_URL: "postgres://env@h/d" }).databaseUrl).toEqual({ value: "postgres://env@h/d", source: "POSTGRES_URL (environment)" });
    expect(loadSettings({}, dir, {}).databaseUrl).toEqual({ value: "postgres://dotenv@h/d", source: "DATABASE_URL (.env)" });
    await rm(path.join(dir, ".env"));
    expect(loadSettings({}, dir, { SUPABASE_DB_URL: "postgres://s@h/d", POSTGRES_URL: "postgres://p@h/d" }).databaseUrl?.source).toBe("POSTGRES_URL (environment)");
  });

  it("collects the passwords of every configured URL as secrets", () => {
    const s = loadSettings({ url: "postgres://u:flagpw@h/d" }, dir, { DATABASE_URL: "postgres://u:envpw@h/d" });
    expect(s.secrets).toEqual(expect.arrayContaining(["flagpw", "envpw"]));
  });

  it("reports every problem of an invalid config file at once", async () => {
    await write("dbkit.config.json", JSON.stringify({ lockTimeout: "soon", journalSchema: "bad name", migrationDir: "typo" }));
    let error: unknown;
    try {
      loadSettings({}, dir, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/lockTimeout/);
    expect(problems.join("\n")).toMatch(/journalSchema/);
    expect(problems.join("\n")).toMatch(/migrationDir/);
  });

  it("reports invalid JSON and a missing explicit config file", async () => {
    await write("dbkit.config.json", "{ nope");
    expect(() => loadSettings({}, dir, {})).toThrow(/not valid JSON/);
    expect(() => loadSettings({ config: "missing.json" }, dir, {})).toThrow(/config file not found/);
  });

  it("validates flag and environment values too", () => {
    expect(() => loadSettings({ lockTimeout: "forever" }, dir, {})).toThrow(ConfigError);
  });
});
