/**
 * A Postgres server that dbkit runs itself from the npm-shipped binaries: the default database
 * (data in `.dbkit/` of the project) and test or scratch servers. Postgres refuses to run as
 * root, so as root it runs as the `postgres` user when there is one, else as `nobody`.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmod, chown, cp, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { childProcessEnv } from "../config/environment.js";
import { ConnectionError, UsageError } from "../errors.js";
import { acquireDirLock, type DirLock } from "./dir-lock.js";
import { isAlive, isRunning } from "./process-alive.js";
import { binariesIn, findPostgresBinaries, type PostgresBinaries } from "./embedded-binaries.js";
import { startPostmaster, type Postmaster } from "./postmaster.js";
import { readPostmasterPid } from "./postmaster-pid.js";
import { findKeptServer, readKeptServerRecord, removeKeptServerRecord, writeKeptServerRecord } from "./kept-server.js";
import { awaitKeptServer } from "./kept-server-wait.js";
import { embeddedServerUrl, type EmbeddedServer, type KeptServer } from "./server-handle.js";

export type { EmbeddedServer } from "./server-handle.js";

const run = promisify(execFile);

export interface EmbeddedOptions {
  /** Folder holding `data/`, the password, the log and the lock. */
  dir: string;
  /** fsync off and friends: for scratch and test servers whose data may be lost. */
  fast?: boolean;
  /** More server settings, as `-c name=value` options (ssl, logging, ...). */
  settings?: string[];
  /** How long to wait for another command using the same folder. */
  lockWaitMs?: number;
  onWait?: (message: string) => void;
  /** One-line notes worth telling the user (where the data lives when not in `dir`). */
  onNote?: (message: string) => void;
  /** How long a server kept by `dbkit start` that is starting or stopping may take to be ready, or gone (default 60 s). */
  keptServerWaitMs?: number;
  /** Other Postgres binaries than the npm-shipped ones (tests against another major). */
  binaries?: PostgresBinaries;
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

export async function startEmbeddedServer(options: EmbeddedOptions): Promise<EmbeddedServer> {
  await mkdir(options.dir, { recursive: true, mode: 0o755 });
  const lock = await acquireDirLock(path.join(options.dir, "lock"), options.lockWaitMs ?? 120_000, (pid) =>
    options.onWait?.(`waiting for another dbkit command using ${options.dir} (pid ${pid})`),
  );
  try {
    // A server kept by `dbkit start` (one may have started while we waited) is used, never stopped:
    // one starting (crash recovery) is waited for; one stopping, waited for until it has exited.
    const kept = await awaitKeptServer(options.dir, { timeoutMs: options.keptServerWaitMs ?? 60_000, ...(options.onWait ? { onWait: options.onWait } : {}) });
    if (kept) {
      await lock.release();
      return kept;
    }
    const runAs = await userToRunAs();
    const serverDir = await serverDirFor(options, runAs);
    const binaries = await binariesFor(runAs, options.binaries);
    const dataDir = path.join(serverDir, "data");
    const logFile = path.join(serverDir, "postgres.log");
    const password = await readOrCreatePassword(path.join(options.dir, "password"));
    const spawnAs = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(binaries.initdb, serverDir, dataDir, password, runAs);
    await stopOrphan(binaries.pgCtl, dataDir, spawnAs, options.dir);
    await writeFile(logFile, "", { flag: "a" });
    if (runAs) await chown(logFile, runAs.uid, runAs.gid);
    const port = await freePort();
    const args = [
      ...["-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
      // Given as `-c name=value` (or `-p 5433`) strings: the option, then its value.
      ...(options.settings ?? []).flatMap((setting) => setting.trim().split(/\s+(.*)/s, 2)),
    ];
    let postmaster: Postmaster;
    try {
      postmaster = await startPostmaster({ postgres: binaries.postgres, dataDir, args, logFile, ...spawnAs, env: localeEnv(), timeoutMs: 60_000 });
    } catch (error) {
      const log = await readFile(logFile, "utf8").catch(() => "");
      throw new ConnectionError("DBKIT_EMBEDDED_START_FAILED", `the embedded Postgres did not start: ${lastLines(log) || (error as Error).message}`, {
        hint: `see ${logFile}; deleting ${options.dir} resets the embedded database`,
        cause: error,
      });
    }
    return serverHandle(postmaster, { dir: options.dir, dataDir, port, password }, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function serverHandle(postmaster: Postmaster, { dir, dataDir, port, password }: { dir: string; dataDir: string; port: number; password: string }, lock: DirLock): EmbeddedServer {
  let stopped: Promise<void> | undefined;
  let kept: KeptServer | undefined;
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    url: (database = "postgres") => embeddedServerUrl(password, port, database),
    stop: () =>
      kept
        ? Promise.resolve()
        : (stopped ??= (async () => {
            await postmaster.stop().catch(() => undefined);
            await lock.release();
          })()),
    keep: async () => {
      if (kept) return kept;
      writeKeptServerRecord(dir, { pid: postmaster.pid, port, dataDir });
      kept = findKeptServer(dir);
      if (!kept) removeKeptServerRecord(dir, postmaster.pid);
      if (!kept) throw new ConnectionError("DBKIT_EMBEDDED_START_FAILED", "the embedded Postgres stopped right after it started", { hint: `see ${path.join(path.dirname(dataDir), "postgres.log")}` });
      await lock.release();
      return kept;
    },
  };
}

async function initialise(initdb: string, dir: string, dataDir: string, password: string, runAs: RunAs | undefined): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { mode: 0o700 });
  const pwfile = path.join(dir, `pwfile-${process.pid}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  try {
    await run(
      initdb,
      ["-D", dataDir, "-U", "postgres", "-E", "UTF8", "--no-locale", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--no-instructions"],
      { ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), env: localeEnv() },
    );
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    throw new ConnectionError("DBKIT_EMBEDDED_INIT_FAILED", `could not create the embedded database in ${dataDir}: ${lastLines(stderr)}`, {
      hint: "check free disk space and permissions of the folder",
      cause: error,
    });
  } finally {
    await rm(pwfile, { force: true });
  }
}

/**
 * A server left running by a dbkit process that was killed: we hold the lock, so it is ours. Never
 * the one `dbkit start` keeps: a running process its record names is only ever stopped by `dbkit stop`.
 */
async function stopOrphan(pgCtl: string, dataDir: string, spawnAs: object, dir: string): Promise<void> {
  const pid = readPostmasterPid(dataDir)?.pid;
  if (pid === undefined || !Number.isInteger(pid) || !isAlive(pid)) return;
  if (readKeptServerRecord(dir)?.pid === pid && isRunning(pid)) {
    throw new ConnectionError("DBKIT_KEPT_SERVER_UNUSABLE", `the server kept by dbkit start (pid ${pid}) runs on ${dataDir} but cannot be used`, {
      hint: `dbkit stop stops it; see ${path.join(path.dirname(dataDir), "postgres.log")}`,
    });
  }
  await run(pgCtl, ["stop", "-w", "-m", "fast", "-D", dataDir], { ...spawnAs, env: localeEnv() }).catch(() => undefined);
}

async function readOrCreatePassword(file: string): Promise<string> {
  const existing = await readFile(file, "utf8").catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function userToRunAs(): Promise<RunAs | undefined> {
  if (os.platform() === "win32" || process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    // /etc/passwd first: two `id` processes cost a run as root tens of milliseconds.
    const local = fromPasswd(name);
    if (local) return local;
    try {
      const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
      return { uid: Number(uid.trim()), gid: Number(gid.trim()), name };
    } catch {
      // try the next candidate
    }
  }
  throw new UsageError("DBKIT_EMBEDDED_ROOT", "the embedded Postgres cannot run as root and there is no postgres or nobody user to run it as", {
    hint: "run dbkit as a normal user, or set DATABASE_URL to a Postgres server",
  });
}

/** A user's uid and primary gid from /etc/passwd (name:password:uid:gid:...), if listed there. */
function fromPasswd(name: string): RunAs | undefined {
  let passwd: string;
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return undefined;
  }
  const fields = passwd.split("\n").find((line) => line.startsWith(`${name}:`))?.split(":");
  const uid = Number(fields?.[2]);
  const gid = Number(fields?.[3]);
  return fields && Number.isInteger(uid) && Number.isInteger(gid) && fields[2] !== "" && fields[3] !== "" ? { uid, gid, name } : undefined;
}

/**
 * Where the server's files live: `dir`, unless the server runs as another user (we are root)
 * who cannot enter it (a project under /root or a private temporary folder). Then they go to a
 * folder of their own in the system's temporary directory, named after the project.
 */
async function serverDirFor(options: EmbeddedOptions, runAs: RunAs | undefined): Promise<string> {
  if (!runAs) return options.dir;
  const blocked = await firstUnenterable(options.dir, runAs);
  if (!blocked) return options.dir;
  const fallback = path.join(os.tmpdir(), `dbkit-embedded-${createHash("sha256").update(path.resolve(options.dir)).digest("hex").slice(0, 12)}`);
  await mkdir(fallback, { recursive: true, mode: 0o755 });
  const stillBlocked = await firstUnenterable(fallback, runAs);
  if (stillBlocked) {
    throw new UsageError("DBKIT_EMBEDDED_PERMISSIONS", `the embedded Postgres runs as user ${runAs.name} (Postgres refuses root), which cannot enter ${blocked} or ${stillBlocked}`, {
      hint: `allow it (chmod o+x ${blocked}), run dbkit as a normal user, or set DATABASE_URL to a Postgres server`,
    });
  }
  options.onNote?.(`the embedded Postgres runs as ${runAs.name}, which cannot enter ${blocked}: its data is in ${fallback}`);
  return fallback;
}

/**
 * The binaries, where the server's user can run them: when node_modules (or the per-user cache
 * of other majors) sits in a folder that user cannot enter, a copy is kept (once per version) in the system's temporary directory.
 */
async function binariesFor(runAs: RunAs | undefined, given?: PostgresBinaries): Promise<PostgresBinaries> {
  const installed = given ?? findPostgresBinaries();
  if (!runAs || !(await firstUnenterable(installed.root, runAs))) return installed;
  const copy = path.join(os.tmpdir(), `dbkit-postgres-${os.platform()}-${os.arch()}-${installed.version}`);
  if (!existsSync(path.join(copy, "bin", "postgres"))) {
    const partial = `${copy}.${process.pid}.tmp`;
    await cp(installed.root, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, copy).catch(async () => rm(partial, { recursive: true, force: true })); // another process won the race
  }
  return binariesIn(copy, installed.version);
}

/** The first folder on the way to `dir` that `runAs` cannot enter, if any. */
async function firstUnenterable(dir: string, runAs: RunAs): Promise<string | undefined> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = await stat(current);
    const enterable = info.uid === runAs.uid ? (info.mode & 0o100) !== 0 : info.gid === runAs.gid ? (info.mode & 0o010) !== 0 : (info.mode & 0o001) !== 0;
    if (!enterable) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function localeEnv(): NodeJS.ProcessEnv {
  return childProcessEnv({ LC_ALL: "C", LANG: "C" });
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" | ");
}
