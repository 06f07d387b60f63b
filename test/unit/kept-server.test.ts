/** Finding the server `dbkit start` kept: the record and postmaster.pid must agree, or it is not used. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findKeptServer, readKeptServerRecord, removeKeptServerRecord, writeKeptServerRecord } from "../../src/local/kept-server.js";
import { isRunning } from "../../src/local/process-alive.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A state folder whose record and postmaster.pid name `pid` (this process: alive) on `port`, with `status`. */
function stateDir(options: { pid?: number; port?: number; status?: string; pidFilePid?: number; pidFilePort?: number } = {}): string {
  const { pid = process.pid, port = 54321, status = "ready" } = options;
  const { pidFilePid = pid, pidFilePort = port } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), "dbkit-kept-"));
  made.push(dir);
  const dataDir = path.join(dir, "data");
  mkdirSync(dataDir);
  writeFileSync(path.join(dir, "password"), "pw-secret\n");
  writeKeptServerRecord(dir, { pid, port, dataDir });
  writeFileSync(path.join(dataDir, "postmaster.pid"), [pidFilePid, dataDir, "1700000000", pidFilePort, "", "127.0.0.1", "  1234 5678", status.padEnd(8), ""].join("\n"));
  return dir;
}

describe("findKeptServer", () => {
  it("finds a recorded, running, ready server, with a URL of its port and password, whose stop() does nothing", async () => {
    const server = findKeptServer(stateDir());
    expect(server).toMatchObject({ kept: true, pid: process.pid, port: 54321, password: "pw-secret" });
    expect(server?.url()).toBe("postgres://postgres:pw-secret@127.0.0.1:54321/postgres");
    await server?.stop();
    expect(isRunning(process.pid)).toBe(true);
  });

  it("does not use a server that is shutting down, another server on the folder, or a record of another port", () => {
    expect(findKeptServer(stateDir({ status: "stopping" }))).toBeUndefined();
    expect(findKeptServer(stateDir({ pidFilePid: process.ppid }))).toBeUndefined();
    expect(findKeptServer(stateDir({ pidFilePort: 1 }))).toBeUndefined();
  });

  it("does not use a record of a process that is gone, and leaves removing it to whoever holds the lock", () => {
    const dir = stateDir({ pid: 2 ** 22 + 1 }); // above Linux's pid_max
    expect(findKeptServer(dir)).toBeUndefined();
    expect(readKeptServerRecord(dir)?.pid).toBe(2 ** 22 + 1);
  });

  it("ignores a missing or broken record; removes a record only while it names the given pid", () => {
    const dir = stateDir();
    writeFileSync(path.join(dir, "server.json"), "{not json");
    expect(findKeptServer(dir)).toBeUndefined();
    writeKeptServerRecord(dir, { pid: 7, port: 1, dataDir: dir });
    removeKeptServerRecord(dir, 8);
    expect(readKeptServerRecord(dir)).toEqual({ pid: 7, port: 1, dataDir: dir });
    removeKeptServerRecord(dir, 7);
    expect(readKeptServerRecord(dir)).toBeUndefined();
  });
});
