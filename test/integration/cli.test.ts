import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { json, scenario } from "../support/scenario.js";

describe("the command line", () => {
  it("prints its version and help", async () => {
    const dir = await createProject({});
    const version = await runCli(["--version"], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(["migrate", "--help"], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--dry-run");
    expect(help.stdout).toContain("--allow-out-of-order");
  });

  it("--help lists every command (each module loaded only when named); help <command> shows its flags", async () => {
    const dir = await createProject({});
    const help = await runCli(["--help"], { cwd: dir });
    const listed = [...help.stdout.matchAll(/^  ([a-z]+) /gm)].map((match) => match[1]);
    expect(listed).toEqual(["init", "new", "migrate", "seed", "status", "verify", "lint", "diff", "test", "reset", "down", "redo", "baseline", "import", "psql", "start", "stop", "resolve", "help"]);
    const named = await runCli(["help", "verify"], { cwd: dir });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain("--shadow-url <url>");
  });

  it("an unknown flag is a usage error (exit 2), also in --json", async () => {
    const dir = await createProject({});
    const result = await runCli(["migrate", "--dry-runn"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--dry-runn'");
    const asJson = await runCli(["migrate", "--dry-runn", "--json"], { cwd: dir });
    expect(asJson.code).toBe(2);
    expect(json(asJson).error.code).toBe("DBKIT_USAGE");
  });

  it("bad flag values are one usage error (exit 2) listing every problem, before anything runs", async () => {
    const dir = await createProject({});
    const result = await runCli(["lint", "--fail-on", "sometimes", "--format", "xml"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe("error: 2 problems with the flags: --fail-on sometimes: use warn or error; --format xml: use human or github");
    const asJson = await runCli(["down", "--steps", "none", "--json"], { cwd: dir });
    expect(asJson.code).toBe(2);
    expect(json(asJson).error).toMatchObject({ code: "DBKIT_USAGE", message: "--steps none: must be a whole number of at least 1" });
    // A wrong setting given with it is in the same error (config/ checks the settings' values).
    const both = await runCli(["down", "--steps", "none", "--lock-timeout", "soon", "--json"], { cwd: dir });
    expect(both.code).toBe(2);
    expect(json(both).error.details.problems).toEqual(["--steps none: must be a whole number of at least 1", expect.stringMatching(/^lockTimeout: must be a duration/)]);
  });

  it("an unknown command suggests the closest one", async () => {
    const dir = await createProject({});
    const result = await runCli(["migrat"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'migrat'");
    expect(result.stderr).toContain("migrate");
  });

  it("conflicting flags are a usage error", async () => {
    const dir = await createProject({});
    const result = await runCli(["status", "--quiet", "--verbose"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot be used with/);
  });

  it("an invalid config file lists every problem and exits 2", async () => {
    const s = await scenario({ "dbkit.config.json": JSON.stringify({ lockTimeout: "later", migrationDir: "x", journalSchema: "no spaces" }) });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("dbkit.config.json has 3 problem(s)");
    expect(result.stderr.match(/^ {2}- /gm)).toHaveLength(3);
  });

  it("settings come from dbkit.config.json when no flag or variable overrides them", async () => {
    const s = await scenario({ "dbkit.config.json": JSON.stringify({ migrationsDir: "db/migrations", journalSchema: "from_config" }), "db/migrations/0001_a.sql": "create table a (id int);\n" });
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result).applied).toHaveLength(1);
    const [row] = await s.db.sql`select count(*)::int as n from from_config.migrations`;
    expect(row?.n).toBe(1);
  });

  it("--quiet prints errors only", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const result = await s.dbkit(["migrate", "--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("a lock held by another session fails after lock_timeout and retries, naming the blocker, with exit 3 and nothing applied", async () => {
    const s = await scenario({
      "migrations/0001_a.sql": "create table locked (id int);\n",
    });
    await s.dbkit(["migrate"]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0002_b.sql`, "create table b_side (id int);\nalter table locked add column name text;\n");
    const holder = await s.db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table locked in access exclusive mode`;
      const result = await s.dbkit(["migrate", "--lock-timeout", "300ms", "--lock-retries", "1", "--json"]);
      expect(result.code).toBe(3);
      const error = json(result).error;
      expect(error).toMatchObject({ code: "DBKIT_LOCK_TIMEOUT", exitCode: 3, details: { file: "migrations/0002_b.sql", sqlstate: "55P03" } });
      // The blocking session is named: pid, application, since when, what it ran.
      expect(error.message).toMatch(/blocked by pid \d+ \(postgres\.js, user postgres, idle in transaction since \S+: lock table locked in access exclusive mode\)/);
      expect(error.message).toContain("gave up after 2 attempts");
      expect(json(result).warnings.join("\n")).toMatch(/0002_b: lock timeout; blocked by pid \d+ .*retrying in \d\.\ds \(1\/1\)/);
    } finally {
      await holder`rollback`;
      holder.release();
    }
    const [row] = await s.db.sql`select to_regclass('b_side') is null as absent`;
    expect(row?.absent).toBe(true);
  });

  it("a lock wait shorter than the lock monitor's first look still names who holds the lock", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table quick_lock (id int);\n" });
    await s.dbkit(["migrate"]);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(`${s.dir}/migrations/0002_b.sql`, "alter table quick_lock add column name text;\n");
    const holder = await s.db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table quick_lock in access exclusive mode`;
      const result = await s.dbkit(["migrate", "--lock-timeout", "10ms", "--lock-retries", "0", "--json"]);
      expect(result.code).toBe(3);
      expect(json(result).error.message).toMatch(/blocked by pid \d+ \(postgres\.js, user postgres, idle in transaction since \S+: lock table quick_lock in access exclusive mode\)/);
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });

  it("statement_timeout from --statement-timeout fails a slow migration with exit 4", async () => {
    const s = await scenario({ "migrations/0001_slow.sql": "create table slow (id int);\nselect pg_sleep(5);\n" });
    const result = await s.dbkit(["migrate", "--statement-timeout", "200ms"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("statement timeout");
    const [row] = await s.db.sql`select to_regclass('slow') is null as absent`;
    expect(row?.absent).toBe(true);
  });
});
