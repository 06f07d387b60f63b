#!/usr/bin/env node
// 32 `dbkit migrate` processes started at once against one runner, on the same pending migrations.
//
//   npm run bench:concurrent                 # 200 trivial migrations, 32 runners, 5 rounds
//   BENCH_RUNNERS=16 BENCH_MIGRATIONS=500 npm run bench:concurrent
//   BENCH_COMPARE_BIN=/path/to/other/bin/dbkit.cjs npm run bench:concurrent   # another build, same rounds
//
// Target (#17): the 32 runners are all done within 2 x one runner's time, and the server log gains
// at most one ERROR line per runner. An embedded Postgres 17 (default durable settings) is started
// in a temporary folder; its log is read to count ERROR lines. Timed from spawn to the last exit.
// The machine this runs on is often shared, so each round runs every case side by side and the
// ratios reported are medians of the ratios within a round. Two floors are measured with them:
// as many dbkit processes with nothing to apply, and as many `node -e 0`.
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COMPARE_BIN = process.env.BENCH_COMPARE_BIN;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function findLog(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === "postgres.log") return path.join(entry.parentPath ?? entry.path, entry.name);
  }
  throw new Error(`no postgres.log under ${dir}`);
}

function migrate(cwd, url, bin = BIN) {
  return run(cwd, url, [bin, "migrate", "--quiet"]);
}

function run(cwd, url, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "pipe"] });
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
async function timed(runners, url, start = (u) => migrate(project, u)) {
  url ??= await freshDatabase();
  const logBefore = (await readFile(log, "utf8")).length;
  const started = performance.now();
  await Promise.all(Array.from({ length: runners }, () => start(url)));
  const ms = performance.now() - started;
  const errors = (await readFile(log, "utf8")).slice(logBefore).split("\n").filter((line) => line.includes("ERROR:")).length;
  return { ms, errors };
}
try {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const one = await timed(1);
    const many = await timed(RUNNERS);
    // The floors: as many processes with nothing to apply (start-up, connection, journal read),
    // and as many bare Node start-ups.
    const migrated = new URL(server.url());
    migrated.pathname = `/concbench_${round}`;
    const noop = await timed(RUNNERS, migrated.toString());
    const node = await timed(RUNNERS, migrated.toString(), () => run(project, "", ["-e", "0"]));
    const other = COMPARE_BIN ? await timed(RUNNERS, undefined, (u) => migrate(project, u, COMPARE_BIN)) : undefined;
    rounds.push({ one, many, noop, node, other });
    console.error(`round ${r + 1}: 1 runner ${one.ms.toFixed(0)} ms, ${RUNNERS} runners ${many.ms.toFixed(0)} ms, no-op ${noop.ms.toFixed(0)} ms, node -e 0 ${node.ms.toFixed(0)} ms${other ? `, other build ${other.ms.toFixed(0)} ms` : ""}`);
  }
  const med = (pick) => median(rounds.map(pick));
  const errors = Math.max(...rounds.map((x) => x.many.errors));
  const ratio = med((x) => x.many.ms / x.one.ms);
  console.log(`node bench/concurrent.mjs  (runners ${RUNNERS}, migrations ${MIGRATIONS}, rounds ${ROUNDS}; medians; ratios are medians of each round's ratio; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the end)`);
  console.log(`| what | wall time to last exit | ratio | server log ERROR lines (worst round) |`);
  console.log(`|---|---|---|---|`);
  console.log(`| 1 runner | ${med((x) => x.one.ms).toFixed(0)} ms | 1 | ${Math.max(...rounds.map((x) => x.one.errors))} |`);
  console.log(`| ${RUNNERS} runners | ${med((x) => x.many.ms).toFixed(0)} ms | ${ratio.toFixed(2)} x one runner; ${med((x) => x.many.ms / x.noop.ms).toFixed(2)} x the no-op floor | ${errors} |`);
  console.log(`| ${RUNNERS} runners, nothing to apply (floor: start-up, connection, one journal read each) | ${med((x) => x.noop.ms).toFixed(0)} ms | ${med((x) => x.noop.ms / x.one.ms).toFixed(2)} x one runner | ${Math.max(...rounds.map((x) => x.noop.errors))} |`);
  console.log(`| ${RUNNERS} x node -e 0 (floor: Node's start-up alone) | ${med((x) => x.node.ms).toFixed(0)} ms | ${med((x) => x.node.ms / x.one.ms).toFixed(2)} x one runner | |`);
  if (COMPARE_BIN) console.log(`| ${RUNNERS} runners, ${COMPARE_BIN} | ${med((x) => x.other.ms).toFixed(0)} ms | ${med((x) => x.other.ms / x.many.ms).toFixed(2)} x this build's ${RUNNERS} runners | ${Math.max(...rounds.map((x) => x.other.errors))} |`);
  console.log(`target: <= 2 x one runner (${ratio <= 2 ? "met" : "missed"}); <= 1 ERROR line per runner (${errors <= RUNNERS ? "met" : "missed"})`);
} finally {
  await admin.end();
  await server.stop();
  await rm(serverDir, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
}
