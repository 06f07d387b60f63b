/** What a new user tries first: bare dbkit, -v, dbkit psql, and errors that say what to do. */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { isAlive } from "../../src/local/process-alive.js";
import { createProject, runCli, spawnCli } from "../support/project.js";
import { scenario } from "../support/scenario.js";

function which(program: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function embeddedStopped(dir: string): boolean {
  const pidFile = path.join(dir, ".dbkit", "data", "postmaster.pid");
  return !existsSync(pidFile) || !isAlive(Number(readFileSync(pidFile, "utf8").split("\n")[0]));
}

describe("discoverability", () => {
  it("bare dbkit prints the help on stderr and exits 2; -v and -V print the version; --verbose stays", async () => {
    const dir = await createProject({});
    const bare = await runCli([], { cwd: dir });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: dbkit");
    expect(bare.stderr).toContain("migrate");
    expect(bare.stdout).toBe("");
    for (const flag of ["-v", "-V", "--version"]) {
      const version = await runCli([flag], { cwd: dir });
      expect(version.code, flag).toBe(0);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
    const verbose = await runCli(["status", "--verbose", "--url", "postgres://u@127.0.0.1:1/db"], { cwd: dir });
    expect(verbose.stderr).not.toContain("unknown option");
  });

  it.skipIf(!which("psql"))("dbkit psql opens psql on the embedded database, and stops it after", async () => {
    const dir = await createProject({ "migrations/0001_t.sql": "create table notes (id int);\ninsert into notes values (42);\n" });
    expect((await runCli(["migrate"], { cwd: dir })).code).toBe(0);
    const result = await runCli(["psql", "--", "-At", "-c", "select id from notes"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("42");
    expect(result.stderr).toContain("database: embedded Postgres in .dbkit/");
    expect(embeddedStopped(dir)).toBe(true);
    const password = readFileSync(path.join(dir, ".dbkit", "password"), "utf8").trim();
    expect(result.stdout + result.stderr).not.toContain(password);
  });

  it("dbkit psql without psql installed prints the URL and keeps the embedded database up until Ctrl-C", async () => {
    const dir = await createProject({ "migrations/0001_t.sql": "create table notes (id int);\n" });
    // A PATH with `id` (used to pick the server's user as root) and no psql.
    const bin = mkdtempSync(path.join(os.tmpdir(), "dbkit-bin-"));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    symlinkSync(which("id") ?? "/usr/bin/id", path.join(bin, "id"));
    const child = spawnCli(["psql"], { cwd: dir, env: { PATH: bin } });
    let stdout = "";
    const shown = new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (chunk) => {
        stdout += chunk;
        const url = /postgres:\/\/\S+/.exec(stdout)?.[0];
        if (url && stdout.includes("press Ctrl-C")) resolve(url);
      });
      child.on("close", () => reject(new Error(`dbkit psql exited; it printed: ${stdout}`)));
    });
    const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
    const url = await shown;
    expect(stdout).toContain("psql is not installed");
    expect(stdout).toContain("(password in .dbkit/password)");
    const sql = postgres(url, { password: readFileSync(path.join(dir, ".dbkit", "password"), "utf8").trim(), max: 1 });
    try {
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await sql.end();
    }
    child.kill("SIGINT");
    expect(await exit).toBe(0);
    expect(embeddedStopped(dir)).toBe(true);
  });

  it("a Supabase-only extension missing on the server says so and what to run against instead", async () => {
    const s = await scenario({ "migrations/0001_vector.sql": "create extension if not exists vector;\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("vector is an extension Supabase provides");
    expect(result.stderr).toContain("--shadow-url");
  });
});
