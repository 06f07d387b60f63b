/** `dbkit start` / `dbkit stop`: the embedded default server kept running, and every command using it. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";
import { isRunning } from "../../src/local/process-alive.js";
import { startKept, processGone } from "../support/kept-server.js";
import { createProject, runCli, spawnCli } from "../support/project.js";
import { exitOf, fileAppears, markerPath, serverStopped } from "../support/child-events.js";

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\n",
  "migrations/0002_b.sql": "create table b (id int);\n",
};

function recordPath(dir: string): string {
  return path.join(dir, ".dbkit", "server.json");
}

function which(program: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

describe("the embedded server kept by dbkit start", () => {
  it("runs until dbkit stop; every command uses it and leaves it running; no password is printed", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    expect(kept.start.stdout).not.toContain(kept.password);
    expect(JSON.parse(kept.start.stdout)).toMatchObject({ ok: true, command: "start", alreadyRunning: false, url: `postgres://postgres@127.0.0.1:${kept.port}/postgres`, passwordFile: ".dbkit/password" });
    expect(JSON.parse(readFileSync(recordPath(dir), "utf8"))).toMatchObject({ pid: kept.pid, port: kept.port });
    expect(isRunning(kept.pid)).toBe(true);

    const again = await runCli(["start"], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already running");
    expect(again.stdout).toContain(`postgres://postgres@127.0.0.1:${kept.port}/postgres`);
    expect(again.stdout).toContain("(password in .dbkit/password");

    const migrate = await runCli(["migrate"], { cwd: dir });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain("applied 2 migration(s)");
    expect(migrate.stderr).toContain(`database: embedded Postgres in .dbkit/ (127.0.0.1:${kept.port}`);
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ inSync: true, target: { embedded: true, port: kept.port } });
    expect(isRunning(kept.pid)).toBe(true);

    const stop = await runCli(["stop"], { cwd: dir });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`stopped the embedded database (port ${kept.port}, pid ${kept.pid})`);
    expect(existsSync(recordPath(dir))).toBe(false);
    expect(existsSync(path.join(dir, ".dbkit", "data", "postmaster.pid"))).toBe(false);
    const stopAgain = await runCli(["stop", "--json"], { cwd: dir });
    expect(stopAgain.code).toBe(0);
    expect(JSON.parse(stopAgain.stdout)).toMatchObject({ ok: true, command: "stop", stopped: false });
    const plainAgain = await runCli(["stop"], { cwd: dir });
    expect(plainAgain.stdout).toContain("not running");
    for (const output of [again, stop, stopAgain, plainAgain, migrate, status]) expect(output.stdout + output.stderr).not.toContain(kept.password);

    // Without it, commands start and stop a server of their own again.
    const after = await runCli(["migrate"], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain("nothing to apply");
    expect(serverStopped(dir)).toBe(true);
  });

  it("is refused when a database URL is configured: there is nothing to start", async () => {
    const dir = await createProject(FILES);
    const result = await runCli(["start", "--json"], { cwd: dir, env: { DATABASE_URL: "postgres://app:s3cr3t-pw@127.0.0.1:1/app" } });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: "DBKIT_START_WITH_URL" });
    expect(result.stdout + result.stderr).not.toContain("s3cr3t-pw");
    expect(existsSync(path.join(dir, ".dbkit"))).toBe(false);
  });

  it("keeps an app's connection open across dbkit migrate runs", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    const sql = postgres(`postgres://postgres@127.0.0.1:${kept.port}/postgres`, { password: kept.password, max: 1, onnotice: () => undefined });
    onTestFinished(() => sql.end({ timeout: 0 }));
    const before = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]?.pid;
    expect((await runCli(["migrate"], { cwd: dir })).code).toBe(0);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(dir, "migrations", "0003_c.sql"), "create table c (id int);\n");
    const second = await runCli(["migrate"], { cwd: dir });
    expect(second.stdout).toContain("applied 1 migration(s)");
    const after = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]?.pid;
    expect(before).toBeDefined();
    expect(after).toBe(before);
    expect(await sql`select count(*)::int as n from c`).toEqual([{ n: 0 }]);
  });

  it("serves two commands at once, neither waiting for the folder", async () => {
    const dir = await createProject({ ...FILES, "migrations/0003_slow.sql": "select pg_sleep(0.5);\n" });
    await startKept(dir);
    const [a, b] = await Promise.all([runCli(["migrate"], { cwd: dir }), runCli(["migrate"], { cwd: dir })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr + b.stderr).not.toContain("waiting for another dbkit command");
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ inSync: true });
  });

  it("dbkit start waits for a command running on a server of its own, then starts", async () => {
    const marker = markerPath();
    const dir = await createProject({ ...FILES, "migrations/0003_slow.sql": `copy (select 1) to '${marker}';\nselect pg_sleep(1);\n` });
    const migrate = spawnCli(["migrate"], { cwd: dir });
    const migrated = exitOf(migrate);
    await fileAppears(marker);
    const kept = await startKept(dir, true);
    expect(kept.start.stderr).toContain("waiting for another dbkit command");
    const done = await migrated;
    expect(done.code, done.stderr).toBe(0);
    expect(isRunning(kept.pid)).toBe(true);
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ inSync: true, target: { port: kept.port } });
  });

  it("a command on it while dbkit stop runs fails with a connection error (exit 3), not a hang", async () => {
    const marker = markerPath();
    const dir = await createProject({ ...FILES, "migrations/0003_slow.sql": `copy (select 1) to '${marker}';\nselect pg_sleep(60);\n` });
    await startKept(dir);
    const migrate = spawnCli(["migrate"], { cwd: dir });
    const migrated = exitOf(migrate);
    await fileAppears(marker);
    const stop = await runCli(["stop"], { cwd: dir });
    expect(stop.code, stop.stderr).toBe(0);
    const { code, stderr } = await migrated;
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/error: .*connection/);
  });

  it("a kept server killed with SIGKILL: the next command removes its record and runs on a server of its own", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    process.kill(kept.pid, "SIGKILL");
    await processGone(kept.pid);
    const migrate = await runCli(["migrate"], { cwd: dir });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain("applied 2 migration(s)");
    expect(existsSync(recordPath(dir))).toBe(false);
    expect(serverStopped(dir)).toBe(true);
    const stop = await runCli(["stop"], { cwd: dir });
    expect(stop.stdout).toContain("not running");
  });

  it("a command that missed it and took the folder's lock uses it, and does not stop it as an orphan", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    // What a command does when `dbkit start` finished while it waited for the lock.
    const server = await startEmbeddedServer({ dir: path.join(dir, ".dbkit") });
    const sql = postgres(server.url(), { max: 1, onnotice: () => undefined });
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    await sql.end();
    await server.stop();
    expect(isRunning(kept.pid)).toBe(true);
    expect(server.port).toBe(kept.port);
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ target: { port: kept.port } });
  });

  it.skipIf(process.getuid?.() !== 0)("as root in a folder the server's user cannot enter, keeps and stops the server whose files are elsewhere", async () => {
    const dir = await createProject(FILES);
    const { chmod, rm } = await import("node:fs/promises");
    await chmod(dir, 0o700);
    const kept = await startKept(dir, true);
    const fallback = /its data is in (\S+)/.exec(kept.start.stderr)?.[1];
    expect(fallback).toBeDefined();
    onTestFinished(() => rm(fallback!, { recursive: true, force: true }));
    expect(JSON.parse(readFileSync(recordPath(dir), "utf8"))).toMatchObject({ pid: kept.pid, dataDir: path.join(fallback!, "data") });
    const migrate = await runCli(["migrate"], { cwd: dir });
    expect(migrate.stdout).toContain("applied 2 migration(s)");
    expect(isRunning(kept.pid)).toBe(true);
    const stop = await runCli(["stop"], { cwd: dir });
    expect(stop.stdout).toContain("stopped the embedded database");
    expect(existsSync(path.join(fallback!, "data", "postmaster.pid"))).toBe(false);
  });

  it("dbkit psql without psql installed prints the kept server's URL and exits", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    // A PATH with `id` (used to pick the server's user as root) and no psql.
    const bin = mkdtempSync(path.join(os.tmpdir(), "dbkit-bin-"));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    symlinkSync(which("id") ?? "/usr/bin/id", path.join(bin, "id"));
    const result = await runCli(["psql"], { cwd: dir, env: { PATH: bin } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("psql is not installed");
    expect(result.stdout).toContain(`127.0.0.1:${kept.port}`);
    expect(result.stdout).toContain("dbkit stop");
    expect(result.stdout + result.stderr).not.toContain(kept.password);
    expect(isRunning(kept.pid)).toBe(true);
  });
});
