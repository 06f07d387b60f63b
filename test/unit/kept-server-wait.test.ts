/** A command holding the folder's lock and the kept server not ready: waited for by its state, never stopped. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, ExitCode } from "../../src/errors.js";
import { awaitKeptServer, keptServerState } from "../../src/local/kept-server-wait.js";
import { readKeptServerRecord, writeKeptServerRecord } from "../../src/local/kept-server.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = { pid: 4321, port: 54321, dataDir: "/nowhere/data" };
const written = (status: string, pid = 4321) => ({ pid, port: 54321, status });

describe("keptServerState", () => {
  it("no record: none; a record whose process is gone or is not the folder's postmaster: gone", () => {
    expect(keptServerState(undefined, true, written("ready"))).toBe("none");
    expect(keptServerState(record, false, written("ready"))).toBe("gone");
    expect(keptServerState(record, false, written("starting"))).toBe("gone");
    expect(keptServerState(record, true, undefined)).toBe("gone");
    expect(keptServerState(record, true, written("ready", 999))).toBe("gone");
  });

  it("running and named by postmaster.pid: ready, stopping (wait for its exit), or anything else (wait until ready)", () => {
    expect(keptServerState(record, true, written("ready"))).toBe("ready");
    expect(keptServerState(record, true, written("stopping"))).toBe("stopping");
    expect(keptServerState(record, true, written("starting"))).toBe("starting");
    expect(keptServerState(record, true, written(""))).toBe("starting");
  });
});

/** A state folder whose record and postmaster.pid name this (running) process with `status`. */
function stateDir(status: string): { dir: string; dataDir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dbkit-kept-wait-"));
  made.push(dir);
  const dataDir = path.join(dir, "data");
  mkdirSync(dataDir);
  writeFileSync(path.join(dir, "password"), "pw-secret\n");
  writeKeptServerRecord(dir, { pid: process.pid, port: 54321, dataDir });
  writeStatus(dataDir, status);
  return { dir, dataDir };
}

/** As the postmaster changes its status line: the reader sees the old file or the new one. */
function writeStatus(dataDir: string, status: string): void {
  const file = path.join(dataDir, "postmaster.pid");
  writeFileSync(`${file}.tmp`, [process.pid, dataDir, "1700000000", 54321, "", "127.0.0.1", "  1234 5678", status.padEnd(8), ""].join("\n"));
  renameSync(`${file}.tmp`, file);
}

describe("awaitKeptServer", () => {
  it("waits for a starting server to be ready, saying so once, and returns it", async () => {
    const { dir, dataDir } = stateDir("starting");
    const said: string[] = [];
    const waiting = awaitKeptServer(dir, {
      timeoutMs: 30_000,
      onWait: (message) => {
        said.push(message);
        writeStatus(dataDir, "ready");
      },
    });
    await expect(waiting).resolves.toMatchObject({ kept: true, pid: process.pid, port: 54321 });
    expect(said).toEqual([`waiting for the server kept by dbkit start (pid ${process.pid}) to finish starting (status: starting)`]);
  });

  it("waits for a stopping server to exit (postmaster.pid removed), then removes its record", async () => {
    const { dir, dataDir } = stateDir("stopping");
    const said: string[] = [];
    const waiting = awaitKeptServer(dir, {
      timeoutMs: 30_000,
      onWait: (message) => {
        said.push(message);
        rmSync(path.join(dataDir, "postmaster.pid"));
      },
    });
    await expect(waiting).resolves.toBeUndefined();
    expect(said).toEqual([`waiting for the server kept by dbkit start (pid ${process.pid}) to stop (status: stopping)`]);
    expect(readKeptServerRecord(dir)).toBeUndefined();
  });

  it("still starting after the timeout: a connection error naming the pid and the status; the record stays", async () => {
    const { dir, dataDir } = stateDir("starting");
    const error = await awaitKeptServer(dir, { timeoutMs: 50 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ exitCode: ExitCode.connection, code: "DBKIT_KEPT_SERVER_NOT_READY", hint: `see ${path.join(dir, "postgres.log")}; dbkit stop stops it` });
    expect((error as Error).message).toBe(`the server kept by dbkit start (pid ${process.pid}) is not ready after 0.05 s (status: starting)`);
    expect(readKeptServerRecord(dir)).toMatchObject({ pid: process.pid, dataDir });
  });

  it("no record: nothing to wait for; a stale record is removed", async () => {
    const { dir } = stateDir("ready");
    rmSync(path.join(dir, "server.json"));
    await expect(awaitKeptServer(dir, { timeoutMs: 50 })).resolves.toBeUndefined();
    writeKeptServerRecord(dir, { pid: 2 ** 22 + 1, port: 1, dataDir: path.join(dir, "data") }); // above Linux's pid_max
    await expect(awaitKeptServer(dir, { timeoutMs: 50 })).resolves.toBeUndefined();
    expect(readKeptServerRecord(dir)).toBeUndefined();
  });

  it("ready but its password file gone: an error, not a server to replace", async () => {
    const { dir } = stateDir("ready");
    rmSync(path.join(dir, "password"));
    await expect(awaitKeptServer(dir, { timeoutMs: 50 })).rejects.toMatchObject({ code: "DBKIT_KEPT_SERVER_UNUSABLE", exitCode: ExitCode.connection });
    expect(readKeptServerRecord(dir)?.pid).toBe(process.pid);
  });
});
