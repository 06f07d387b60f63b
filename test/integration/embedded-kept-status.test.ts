/** The server `dbkit start` keeps, caught starting (crash recovery) or stopping: waited for, never stopped by a command. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";
import { isRunning } from "../../src/local/process-alive.js";
import { exitOf, serverStopped } from "../support/child-events.js";
import { processGone, setPostmasterStatus, startKept } from "../support/kept-server.js";
import { createProject, runCli, spawnCli } from "../support/project.js";

const FILES = {
  "migrations/0001_a.sql": "create table a (id int);\n",
  "migrations/0002_b.sql": "create table b (id int);\n",
};

/** Resolves when the child's stderr has said `text` (bounded: rejects if it exits first). */
function stderrSays(child: ReturnType<typeof spawnCli>, text: string): Promise<void> {
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (stderr.includes(text)) resolve();
    });
    child.once("close", () => reject(new Error(`exited without saying "${text}": ${stderr}`)));
  });
}

function dataDirOf(dir: string): string {
  return path.join(dir, ".dbkit", "data");
}

describe("a command while the kept server is not ready", () => {
  it("waits while it is starting (crash recovery), then uses it and leaves it running", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    setPostmasterStatus(dataDirOf(dir), "starting");
    const migrate = spawnCli(["migrate"], { cwd: dir });
    const done = exitOf(migrate);
    await stderrSays(migrate, `waiting for the server kept by dbkit start (pid ${kept.pid}) to finish starting (status: starting)`);
    setPostmasterStatus(dataDirOf(dir), "ready");
    const { code, stdout, stderr } = await done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("applied 2 migration(s)");
    expect(stderr).toContain(`127.0.0.1:${kept.port}`);
    expect(isRunning(kept.pid)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, ".dbkit", "server.json"), "utf8"))).toMatchObject({ pid: kept.pid, port: kept.port });
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ inSync: true, target: { port: kept.port } });
  });

  it("still starting after the wait: a connection error (exit 3) naming the pid and status; the server keeps running", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    setPostmasterStatus(dataDirOf(dir), "starting");
    const said: string[] = [];
    const error = await startEmbeddedServer({ dir: path.join(dir, ".dbkit"), keptServerWaitMs: 200, onWait: (message) => said.push(message) }).then(
      async (server) => {
        await server.stop();
        throw new Error("a server was returned");
      },
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      exitCode: ExitCode.connection,
      code: "DBKIT_KEPT_SERVER_NOT_READY",
      message: `the server kept by dbkit start (pid ${kept.pid}) is not ready after 0.2 s (status: starting)`,
      hint: `see ${path.join(dir, ".dbkit", "postgres.log")}; dbkit stop stops it`,
    });
    expect(said).toEqual([`waiting for the server kept by dbkit start (pid ${kept.pid}) to finish starting (status: starting)`]);
    expect(isRunning(kept.pid)).toBe(true);
    expect(existsSync(path.join(dir, ".dbkit", "server.json"))).toBe(true);
    expect(existsSync(path.join(dir, ".dbkit", "lock"))).toBe(false);
    // Ready again, it is used as before.
    setPostmasterStatus(dataDirOf(dir), "ready");
    const migrate = await runCli(["migrate"], { cwd: dir });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stderr).toContain(`127.0.0.1:${kept.port}`);
  });

  it("waits while it is stopping until it has exited, then runs on a server of its own", async () => {
    const dir = await createProject(FILES);
    const kept = await startKept(dir);
    setPostmasterStatus(dataDirOf(dir), "stopping");
    const migrate = spawnCli(["migrate"], { cwd: dir });
    const done = exitOf(migrate);
    await stderrSays(migrate, `waiting for the server kept by dbkit start (pid ${kept.pid}) to stop (status: stopping)`);
    // The shutdown under way (as `pg_ctl stop -m fast` does it) comes to its end.
    process.kill(kept.pid, "SIGINT");
    const { code, stdout, stderr } = await done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("applied 2 migration(s)");
    await processGone(kept.pid);
    expect(existsSync(path.join(dir, ".dbkit", "server.json"))).toBe(false);
    expect(serverStopped(dir)).toBe(true);
  });
});
