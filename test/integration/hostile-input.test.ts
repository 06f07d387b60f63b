/** Names, URLs and files that once broke dbkit's own SQL or ended in "this is a bug". */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, createProject, runCli, type CliResult } from "../support/project.js";
import { journalNames, json, scenario, tableExists } from "../support/scenario.js";

describe("names that contain dbkit's own dollar-quote tag", () => {
  it("a file name with $dbkit$ runs inside dbkit's transaction and is recorded once", async () => {
    const s = await scenario({
      "migrations/0001_a$dbkit$b.sql": "create table tagged (id int);\n",
      "migrations/0002_after.sql": "create table after_tagged (id int);\n",
    });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await journalNames(s.db)).toEqual(["0001_a$dbkit$b", "0002_after"]);
    expect(await tableExists(s.db, "tagged")).toBe(true);
    const again = await s.dbkit(["migrate"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to apply");
  });

  it("a journal schema named j$dbkit$ works", async () => {
    const s = await scenario({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const result = await s.dbkit(["migrate"], { DBKIT_JOURNAL_SCHEMA: "j$dbkit$" });
    expect(result.code, result.stderr).toBe(0);
    expect(await journalNames(s.db, "j$dbkit$")).toEqual(["0001_a"]);
  });
});

describe("hosts and URLs", () => {
  it("reset takes 127.prod-db.invalid for a remote host, not a local one", async () => {
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const result = await runCli(["reset", "--yes", "--json"], { cwd: dir, env: { DATABASE_URL: "postgres://app@127.prod-db.invalid:5432/app" } });
    expect(result.code).toBe(2);
    expect(json(result).error.code).toBe("DBKIT_RESET_REMOTE");
  });

  it("an unencoded @ in ?password= never makes a host of the password's tail", async () => {
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    const result = await runCli(["status", "--json"], { cwd: dir, env: { DATABASE_URL: "postgres://app@db.invalid:5432/app?password=S3cr3t!P@ss&connect_timeout=2" } });
    expect(result.code).toBe(3);
    const out = result.stdout + result.stderr;
    expect(out).toContain("db.invalid");
    expect(out).not.toMatch(/\bss:5432/);
    expect(out).not.toContain("S3cr3t");
  });
});

/**
 * Runs the CLI without the power to read every file: root reads a file whatever its mode, so as
 * root the CLI runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv), still as root, so
 * a checkout that only root may read (a clone in a private temporary folder) still runs; without
 * setpriv, as the user nobody.
 */
function runCliWithoutReadOverride(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const root = process.getuid?.() === 0;
    const setpriv = root && existsSync("/usr/bin/setpriv");
    const command = setpriv ? ["/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", process.execPath] : [process.execPath];
    const child = spawn(command[0]!, [...command.slice(1), BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", DBKIT_NO_COMPILE_CACHE: "1", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
      stdio: ["ignore", "pipe", "pipe"],
      ...(root && !setpriv ? { uid: 65534, gid: 65534 } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("ordinary file problems are usage errors (exit 2) naming the path", () => {
  it("a folder named like a migration", async () => {
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    await mkdir(path.join(dir, "migrations", "0002_b.sql"));
    const result = await runCli(["migrate", "--json"], { cwd: dir, env: { DATABASE_URL: "postgres://x@127.0.0.1:1/none" } });
    expect(result.code).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_NOT_A_FILE", message: expect.stringContaining(path.join("migrations", "0002_b.sql")) });
  });

  it("a folder named like a seed", async () => {
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    await mkdir(path.join(dir, "seeds", "data.sql"), { recursive: true });
    const result = await runCli(["migrate", "--dry-run", "--json"], { cwd: dir, env: { DATABASE_URL: "postgres://x@127.0.0.1:1/none" } });
    expect(result.code).toBe(2);
    expect(json(result).error).toMatchObject({ code: "DBKIT_NOT_A_FILE", message: expect.stringContaining(path.join("seeds", "data.sql")) });
  });

  it("an unreadable file and an unreadable folder", async () => {
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n" });
    await chmod(path.join(dir, "migrations", "0001_a.sql"), 0o000);
    const file = await runCliWithoutReadOverride(["migrate", "--json"], dir);
    expect(file.code, file.stderr).toBe(2);
    expect(JSON.parse(file.stdout).error).toMatchObject({ code: "DBKIT_FILE_UNREADABLE", message: expect.stringContaining(path.join("migrations", "0001_a.sql")) });

    await chmod(path.join(dir, "migrations"), 0o000);
    const folder = await runCliWithoutReadOverride(["migrate", "--json"], dir);
    expect(folder.code, folder.stderr).toBe(2);
    expect(JSON.parse(folder.stdout).error).toMatchObject({ code: "DBKIT_FILE_UNREADABLE", message: expect.stringContaining("migrations") });
    await chmod(path.join(dir, "migrations"), 0o755);
  });
});
