/** The embedded default database: no URL configured, data in .dbkit/ of the project. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { BIN, createProject, runCli, spawnCli } from "../support/project.js";
import { exitOf, fileAppears, markerPath, serverStopped } from "../support/child-events.js";

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\n",
  "migrations/0002_b.sql": "create table b (id int);\n",
};

/** As root with su, and with the checkout readable by nobody (a clone in a private folder is not). */
function canRunAsNobody(): boolean {
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/su")) return false;
  try {
    execFileSync("su", ["nobody", "-s", "/bin/sh", "-c", `test -r ${BIN} && test -r ${path.join(path.dirname(BIN), "..", "dist", "bundle", "cli.cjs")}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("the embedded default database", () => {
  it("is created in .dbkit/ on first use, reused after, and stopped when each command ends", async () => {
    const dir = await createProject(FILES);
    const first = await runCli(["migrate"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("embedded Postgres in .dbkit/");
    expect(first.stdout).toContain("applied 2 migration(s)");
    expect(existsSync(path.join(dir, ".dbkit", "data", "PG_VERSION"))).toBe(true);
    expect(serverStopped(dir)).toBe(true);

    const second = await runCli(["migrate"], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("nothing to apply");
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ inSync: true, target: { embedded: true } });
    expect(serverStopped(dir)).toBe(true);
    // The generated password is a secret like any other.
    const password = readFileSync(path.join(dir, ".dbkit", "password"), "utf8").trim();
    expect(first.stdout + first.stderr + status.stdout).not.toContain(password);
  });

  it.skipIf(process.getuid?.() !== 0)("as root in a folder the server's user cannot enter, keeps the server's files where it can", async () => {
    const dir = await createProject(FILES);
    const { chmod } = await import("node:fs/promises");
    await chmod(dir, 0o700);
    const result = await runCli(["migrate"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const fallback = /its data is in (\S+)/.exec(result.stderr)?.[1];
    expect(fallback).toBeDefined();
    const { rm } = await import("node:fs/promises");
    onTestFinished(() => rm(fallback!, { recursive: true, force: true }));
    expect(result.stdout).toContain("applied 2 migration(s)");
    const again = await runCli(["migrate"], { cwd: dir });
    expect(again.stdout).toContain("nothing to apply");
  });

  it.skipIf(!canRunAsNobody())("works as a normal user too (here: nobody), with no user switching", async () => {
    const dir = await createProject(FILES);
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    await promisify(execFile)("chown", ["-R", "nobody", dir]);
    const command = `cd ${dir} && HOME=${dir} ${process.execPath} ${BIN} migrate`;
    const { stdout } = await promisify(execFile)("su", ["nobody", "-s", "/bin/sh", "-c", command]);
    expect(stdout).toContain("applied 2 migration(s)");
    const owner = (await import("node:fs")).statSync(path.join(dir, ".dbkit", "data")).uid;
    expect(owner).not.toBe(0);
    expect(serverStopped(dir)).toBe(true);
  });

  it("makes a second concurrent command wait instead of sharing or corrupting the folder", async () => {
    const dir = await createProject({ ...FILES, "migrations/0003_slow.sql": "select pg_sleep(1.5);\n" });
    const [a, b] = await Promise.all([runCli(["migrate"], { cwd: dir }), runCli(["migrate"], { cwd: dir })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr + b.stderr).toContain("waiting for another dbkit command");
    expect(serverStopped(dir)).toBe(true);
  });

  it("recovers after a dbkit process was killed with SIGKILL, leaving no server running", async () => {
    // "applied" lines wait for the batch's synchronous commit: the slow file says it runs by a file it writes.
    const marker = markerPath();
    const dir = await createProject({ ...FILES, "migrations/0003_slow.sql": `create table slow (id int);\ncopy (select 1) to '${marker}';\nselect pg_sleep(30);\n` });
    const child = spawnCli(["migrate"], { cwd: dir });
    await fileAppears(marker);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("close", resolve));

    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc.entries.map((e: { name: string; state: string }) => [e.name, e.state])).toEqual([
      ["0001_a", "applied"],
      ["0002_b", "applied"],
      ["0003_slow", "pending"],
    ]);
    expect(serverStopped(dir)).toBe(true);
  });

  it("when its output is closed (dbkit migrate | head -1) it stops, says so, and stops the server", async () => {
    const files: Record<string, string> = {};
    // The no-transaction second file makes the first lines durable, so they are printed early.
    for (let i = 1; i <= 30; i++) files[`migrations/${String(i).padStart(4, "0")}_x.sql`] = `${i === 2 ? "-- dbkit:no-transaction\n" : ""}select pg_sleep(0.02);\n`;
    const dir = await createProject(files);
    const child = spawnCli(["migrate"], { cwd: dir });
    child.stdout!.once("data", () => child.stdout!.destroy());
    const { code, stderr } = await exitOf(child);
    expect(code).toBe(141);
    expect(stderr).toMatch(/the output was closed; stopped: applied \d+ migration\(s\)/);
    expect(serverStopped(dir)).toBe(true);
  });

  it("on Ctrl-C rolls back the current migration, stops the server, and says what was applied", async () => {
    // 0004 is already sent when 0003 is cancelled (files are sent ahead): it must not run.
    const marker = markerPath();
    const dir = await createProject({ ...FILES, "migrations/0003_slow.sql": `create table slow (id int);\ncopy (select 1) to '${marker}';\nselect pg_sleep(30);\n`, "migrations/0004_after.sql": "create table after_slow (id int);\n" });
    const child = spawnCli(["migrate"], { cwd: dir });
    const exit = exitOf(child);
    await fileAppears(marker);
    child.kill("SIGINT");
    const { code, stderr } = await exit;
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted by SIGINT: applied 2 migration(s) (last: 0002_b); 0003_slow was rolled back and not recorded");
    expect(serverStopped(dir)).toBe(true);
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout).entries, status.stdout).toMatchObject([{ state: "applied" }, { state: "applied" }, { name: "0003_slow", state: "pending" }, { name: "0004_after", state: "pending" }]);
  });
});
