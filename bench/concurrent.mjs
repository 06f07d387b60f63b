#!/usr/bin/env node
// 32 `dbkit migrate` processes started at once against one runner, on the same pending migrations.
//
//   npm run bench:concurrent                 # 200 trivial migrations, 32 runners, 3 rounds
//   BENCH_RUNNERS=16 BENCH_MIGRATIONS=500 npm run bench:concurrent
//
// Target (#17): the 32 runners are all done within 2 x one runner's time, and the server log gains
// at most one ERROR line per runner. An embedded Postgres 17 (default durable settings) is started
// in a temporary folder; its log is read to count ERROR lines. Timed from spawn to the last exit.
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin/dbkit.cjs");
const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 32);
const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function findLog(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === "postgres.log") return path.join(entry.parentPath ?? entry.path, entry.name);
  }
  throw new Error(`no postgres.log under ${dir}`);
}

function migrate(cwd, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "migrate", "--quiet"], { cwd, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`dbkit exited ${code}: ${stderr}`))));
  });
}

const serverDir = await mkdtemp(path.join(os.tmpdir(), "dbkit-concbench-pg-"));
await chmod(serverDir, 0o755);
const project = await mkdtemp(path.join(os.tmpdir(), "dbkit-concbench-project-"));
await chmod(project, 0o755);
await mkdir(path.join(project, "migrations"));
for (let i = 1; i <= MIGRATIONS; i++) await writeFile(path.join(project, "migrations", `${String(i).padStart(4, "0")}_t${i}.sql`), `create table t_${i} (id int);\n`);
const { startEmbeddedServer } = await import(path.join(ROOT, "dist/local/embedded-server.js"));
const server = await startEmbeddedServer({ dir: serverDir });
const log = await findLog(serverDir);
const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
let round = 0;
async function freshDatabase() {
  const name = `concbench_${++round}`;
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server.url());
  url.pathname = `/${name}`;
  return url.toString();
}
async function timed(runners, url) {
  url ??= await freshDatabase();
  const logBefore = (await readFile(log, "utf8")).length;
  const started = performance.now();
  await Promise.all(Array.from({ length: runners }, () => migrate(project, url)));
  const ms = performance.now() - started;
  const errors = (await readFile(log, "utf8")).slice(logBefore).split("\n").filter((line) => line.includes("ERROR:")).length;
  return { ms, errors };
}
try {
  const one = [];
  const many = [];
  const noop = [];
  for (let r = 0; r < ROUNDS; r++) {
    one.push(await timed(1));
    many.push(await timed(RUNNERS));
    // The floor: as many processes with nothing to apply (start-up, connection, journal read).
    const migrated = new URL(server.url());
    migrated.pathname = `/concbench_${round}`;
    noop.push(await timed(RUNNERS, migrated.toString()));
  }
  const oneMs = median(one.map((x) => x.ms));
  const manyMs = median(many.map((x) => x.ms));
  const errors = Math.max(...many.map((x) => x.errors));
  console.log(`node bench/concurrent.mjs  (runners ${RUNNERS}, migrations ${MIGRATIONS}, rounds ${ROUNDS}, median; ${os.cpus().length} cores)`);
  console.log(`| runners | wall time to last exit | server log ERROR lines (worst round) |`);
  console.log(`|---|---|---|`);
  console.log(`| 1 | ${oneMs.toFixed(0)} ms | ${Math.max(...one.map((x) => x.errors))} |`);
  console.log(`| ${RUNNERS} | ${manyMs.toFixed(0)} ms (${(manyMs / oneMs).toFixed(2)} x one runner) | ${errors} |`);
  console.log(`| ${RUNNERS}, nothing to apply (the floor: start-up and one journal read each) | ${median(noop.map((x) => x.ms)).toFixed(0)} ms | ${Math.max(...noop.map((x) => x.errors))} |`);
  console.log(`target: <= 2 x one runner (${manyMs <= 2 * oneMs ? "met" : "missed"}); <= 1 ERROR line per runner (${errors <= RUNNERS ? "met" : "missed"})`);
} finally {
  await admin.end();
  await server.stop();
  await rm(serverDir, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
}
