#!/usr/bin/env node
// dbkit against the lower bound (all files in one psql transaction) and its peers, side by side.
//
//   npm run bench                 # N = 200 and 1000, 5 runs each
//   npm run bench -- --quick      # N = 1000, 2 apply runs: under three minutes
//   npm run bench -- --write      # also write bench/RESULTS.md
//
// Postgres: BENCH_DATABASE_URL (a server; databases are created and dropped on it), else an
// embedded Postgres 17 with its default, durable settings. Every tool runs as a whole process,
// runs alternate between tools, and each apply gets a fresh database. No-op and status runs are
// measured after the applies, on each tool's database of the last run (vacuumed), in rounds that
// alternate the tools. Every tool runs without this machine's NODE_EXTRA_CA_CERTS, which no user's
// machine has and which costs each Node process about 30 ms to start (see bench/sizes.mjs).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { migrationSql } from "./synthetic.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = (name) => path.join(ROOT, "node_modules", ".bin", name);
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const RUNS = quick ? 2 : 5;
// No-op and status runs take a fraction of a second: many rounds steady their medians.
const NOOP_ROUNDS = quick ? 6 : 20;
// The targets are judged at N = 1000; the quick mode measures only that size.
const SIZES = (process.env.BENCH_SIZES ?? (quick ? "1000" : "200,1000")).split(",").map(Number);
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const PSQL = (() => {
  try {
    execFileSync("psql", ["--version"], { stdio: "ignore" });
    return "psql";
  } catch {
    return undefined;
  }
})();

// ---------------------------------------------------------------- the synthetic project
async function writeProjects(dir, n) {
  const pad = (i) => String(i).padStart(5, "0");
  const bodies = Array.from({ length: n }, (_, k) => migrationSql(k + 1));
  const layout = {
    dbkit: (i, sql) => [`dbkit/migrations/${pad(i)}_t${i}.sql`, sql],
    dbmate: (i, sql) => [`dbmate/${20250101000000 + i}_t${i}.sql`, `-- migrate:up\n${sql}\n-- migrate:down\n`],
    "node-pg-migrate": (i, sql) => [`npm/${pad(i)}_t${i}.sql`, `-- Up Migration\n${sql}\n-- Down Migration\n`],
    postgrator: (i, sql) => [`postgrator/${pad(i)}.do.t${i}.sql`, sql],
  };
  for (const make of Object.values(layout)) {
    for (const [k, sql] of bodies.entries()) {
      const [file, content] = make(k + 1, sql);
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
  }
  await writeGraphileMigrations(path.join(dir, "graphile"), bodies);
  await writeFile(path.join(dir, "all.sql"), bodies.join("\n"));
  await writeFile(path.join(dir, "per-file.sql"), bodies.map((sql) => `begin;\n${sql}\n;\ncommit;\n`).join(""));
}

// graphile-migrate's committed migrations form a hash chain: each file names the hash of the one
// before it and its own, computed as graphile-migrate's `commit` does (sha1 over previous hash and body).
async function writeGraphileMigrations(dir, bodies) {
  await mkdir(path.join(dir, "migrations", "committed"), { recursive: true });
  await writeFile(path.join(dir, ".gmrc"), "{}\n");
  let previous = null;
  for (const [k, sql] of bodies.entries()) {
    const body = `${sql.trim()}\n`;
    const hash = `sha1:${createHash("sha1").update(`${`${previous ?? ""}\n${body.trim()}`.trim()}\n`).digest("hex")}`;
    const file = path.join(dir, "migrations", "committed", `${String(k + 1).padStart(6, "0")}.sql`);
    await writeFile(file, `--! Previous: ${previous ?? "-"}\n--! Hash: ${hash}\n\n${body}`);
    previous = hash;
  }
}

// ---------------------------------------------------------------- measuring
const { NODE_EXTRA_CA_CERTS: _shellOnly, ...USER_ENV } = process.env;

async function measure(command, argv, env, cwd) {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [cmd, cmdArgs] = TIME ? [TIME, ["-f", "%M", "-o", rssFile, command, ...argv]] : [command, argv];
  const started = process.hrtime.bigint();
  const { code, stderr } = await new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd, env: { ...USER_ENV, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (c) => resolve({ code: c, stderr: err }));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`${command} ${argv.join(" ")} exited ${code}: ${stderr.slice(-500)}`);
  const rssKb = TIME ? Number((await readFile(rssFile, "utf8")).trim().split("\n").pop()) : NaN;
  await rm(rssFile, { force: true });
  return { ms, rssMb: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The median of the per-run ratios a[i] / b[i] (runs alternate, so pairs share conditions). */
const medianRatio = (a, b) => median(a.map((x, i) => x / b[i]));

// ---------------------------------------------------------------- the tools
function tools(dir, server) {
  const url = (db, sslDisable = false) => server.urlFor(db, sslDisable);
  return {
    dbkit: {
      apply: (db) => [process.execPath, [path.join(ROOT, "bin/dbkit.cjs"), "migrate", "--no-seed", "--migrations-dir", path.join(dir, "dbkit/migrations"), "--quiet"], { DATABASE_URL: url(db) }],
      status: (db) => [process.execPath, [path.join(ROOT, "bin/dbkit.cjs"), "status", "--migrations-dir", path.join(dir, "dbkit/migrations"), "--quiet"], { DATABASE_URL: url(db) }],
    },
    "dbkit --single-transaction": {
      apply: (db) => [process.execPath, [path.join(ROOT, "bin/dbkit.cjs"), "migrate", "--single-transaction", "--no-seed", "--migrations-dir", path.join(dir, "dbkit/migrations"), "--quiet"], { DATABASE_URL: url(db) }],
    },
    "lower bound (psql -1 -f)": PSQL && {
      apply: (db) => ["psql", ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", path.join(dir, "all.sql"), url(db)], {}],
    },
    // The server's own cost of a transaction per file, with no tool in between.
    "reference: psql, a transaction per file": PSQL && {
      apply: (db) => ["psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path.join(dir, "per-file.sql"), url(db)], {}],
    },
    "dbmate --no-dump-schema": {
      apply: (db) => [BIN("dbmate"), ["--url", url(db, true), "--migrations-dir", path.join(dir, "dbmate"), "--no-dump-schema", "up"], {}],
      status: (db) => [BIN("dbmate"), ["--url", url(db, true), "--migrations-dir", path.join(dir, "dbmate"), "status"], {}],
    },
    "node-pg-migrate": {
      apply: (db) => [BIN("node-pg-migrate"), ["up", "-m", path.join(dir, "npm")], { DATABASE_URL: url(db) }],
    },
    postgrator: {
      apply: (db) => [BIN("postgrator"), ["--no-config", "-m", path.join(dir, "postgrator", "*"), ...server.postgratorArgs(db)], {}],
    },
    // Runs in its own folder (its .gmrc); status wants a shadow database URL but does not connect to it.
    "graphile-migrate": {
      apply: (db) => [BIN("graphile-migrate"), ["migrate"], { DATABASE_URL: url(db) }, path.join(dir, "graphile")],
      status: (db) => [BIN("graphile-migrate"), ["status"], { DATABASE_URL: url(db), SHADOW_DATABASE_URL: url(`${db}_shadow`) }, path.join(dir, "graphile")],
    },
  };
}

async function startServer() {
  if (process.env.BENCH_DATABASE_URL) return serverFrom(process.env.BENCH_DATABASE_URL, async () => undefined);
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-bench-pg-"));
  await chmod(dir, 0o755);
  const { startEmbeddedServer } = await import(path.join(ROOT, "dist/local/embedded-server.js"));
  const server = await startEmbeddedServer({ dir });
  return serverFrom(server.url(), async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
}

function serverFrom(base, stop) {
  const u = new URL(base);
  const urlFor = (db, sslDisable = false) => {
    const x = new URL(base);
    x.pathname = `/${db}`;
    if (sslDisable) x.searchParams.set("sslmode", "disable");
    return x.toString();
  };
  const admin = postgres(base, { max: 1, onnotice: () => undefined });
  return {
    urlFor,
    postgratorArgs: (db) => ["-h", u.hostname, "-o", u.port || "5432", "-d", db, "-u", decodeURIComponent(u.username), "-p", decodeURIComponent(u.password)],
    async create(db) {
      await admin.unsafe(`create database ${db}`);
      // No run should share the disk with a checkpoint that an earlier run's WAL set off.
      await this.checkpoint();
    },
    async vacuum(db) {
      const sql = postgres(urlFor(db), { max: 1, onnotice: () => undefined });
      await sql.unsafe("vacuum analyze");
      await sql.end();
    },
    async checkpoint() {
      await admin.unsafe("checkpoint");
    },
    async drop(db) {
      await admin.unsafe(`drop database if exists ${db} with (force)`);
    },
    async setup() {
      await admin.unsafe(`do $$ begin if not exists (select from pg_roles where rolname = 'bench_reader') then create role bench_reader; end if; end $$`);
    },
    async stop() {
      await admin.end();
      await stop();
    },
  };
}

// ---------------------------------------------------------------- the run
async function main() {
  const started = performance.now();
  const server = await startServer();
  await server.setup();
  const results = [];
  try {
    for (const n of SIZES) {
      const dir = await mkdtemp(path.join(os.tmpdir(), `dbkit-bench-${n}-`));
      await writeProjects(dir, n);
      const all = Object.entries(tools(dir, server)).filter(([, t]) => t);
      const samples = Object.fromEntries(all.map(([name]) => [name, { apply: [], noop: [], status: [], rss: [] }]));
      const migrated = new Map();
      for (let run = 0; run < RUNS; run++) {
        // Alternate the order run by run, so no tool always runs on a warm or cold server.
        const order = run % 2 === 0 ? all : [...all].reverse();
        for (const [name, tool] of order) {
          const db = `bench_${name.replace(/[^a-z]/gi, "").toLowerCase()}_${n}_${run}`;
          await server.create(db);
          const [cmd, argv, env, cwd = dir] = tool.apply(db);
          const applied = await measure(cmd, argv, env, cwd);
          samples[name].apply.push(applied.ms);
          samples[name].rss.push(applied.rssMb);
          // The last run's databases stay for the no-op and status rounds. Vacuumed now, so that
          // autovacuum does not work on them while the next tools apply.
          if (run === RUNS - 1 && measuresNoOp(name)) {
            await server.vacuum(db);
            migrated.set(name, db);
          } else {
            await server.drop(db);
          }
        }
      }
      await measureNoOps(all, samples, server, dir, migrated);
      results.push({ n, samples });
      await rm(dir, { recursive: true, force: true });
    }
    const version = { dbkit: [], node: [] };
    for (let i = 0; i < 10; i++) {
      version.dbkit.push((await measure(process.execPath, [path.join(ROOT, "bin/dbkit.cjs"), "--version"], {}, ROOT)).ms);
      version.node.push((await measure(process.execPath, ["-e", "0"], {}, ROOT)).ms);
    }
    const report = render(results, version, (performance.now() - started) / 60_000);
    process.stdout.write(report);
    if (args.includes("--write")) await writeFile(path.join(ROOT, "bench", "RESULTS.md"), `# Benchmark results\n\n${machine()}\n\n${report}`);
  } finally {
    await server.stop();
  }
}

const measuresNoOp = (name) => !isReference(name) && !name.includes("--single-transaction");

/**
 * No-op migrate and status, on the database each tool migrated in the last run (vacuumed, so
 * autovacuum does not pick them at random moments). The tools take turns, round after round, so
 * each pair of tools is measured moments apart under the same conditions.
 */
async function measureNoOps(all, samples, server, dir, migrated) {
  await server.checkpoint();
  const tools = all.filter(([name]) => migrated.has(name));
  for (let round = 0; round < NOOP_ROUNDS; round++) {
    for (const [name, tool] of round % 2 === 0 ? tools : [...tools].reverse()) {
      const [cmd, argv, env, cwd = dir] = tool.apply(migrated.get(name));
      samples[name].noop.push((await measure(cmd, argv, env, cwd)).ms);
      if (tool.status) {
        const [scmd, sargv, senv, scwd = dir] = tool.status(migrated.get(name));
        samples[name].status.push((await measure(scmd, sargv, senv, scwd)).ms);
      }
    }
  }
  for (const db of migrated.values()) await server.drop(db);
}

function render(results, version, minutes) {
  const fmt = (xs) => (xs.length ? `${Math.min(...xs).toFixed(0)} / ${median(xs).toFixed(0)} / ${Math.max(...xs).toFixed(0)}` : "n/a");
  const ratio = (a, b) => (a.length && b.length ? medianRatio(a, b).toFixed(2) : "n/a");
  const lines = [`Command: \`npm run bench${quick ? " -- --quick" : ""}\` (${RUNS} apply runs per tool and size, ${NOOP_ROUNDS} rounds of no-op and status; times in ms, min / median / max; ratios are medians of the ratios of each run or round)`, ""];
  for (const { n, samples } of results) {
    const dbkit = samples.dbkit;
    lines.push(`### N = ${n} migrations`, "", "| tool | full apply | no-op migrate | status | peak RSS (MB, apply) | dbkit apply ÷ this | dbkit no-op ÷ this | dbkit status ÷ this |", "|---|---|---|---|---|---|---|---|");
    for (const [name, s] of Object.entries(samples)) {
      const other = name !== "dbkit";
      lines.push(`| ${name} | ${fmt(s.apply)} | ${fmt(s.noop)} | ${fmt(s.status)} | ${s.rss.length && !Number.isNaN(s.rss[0]) ? median(s.rss).toFixed(0) : "n/a"} | ${other ? ratio(dbkit.apply, s.apply) : "1.00"} | ${other && s.noop.length ? ratio(dbkit.noop, s.noop) : ""} | ${other && s.status.length ? ratio(dbkit.status, s.status) : ""} |`);
    }
    lines.push("");
  }
  lines.push(...targets(results.at(-1), version, minutes), "");
  lines.push("### Start-up", "", "| command | time (ms) | ratio |", "|---|---|---|");
  lines.push(`| dbkit --version | ${fmt(version.dbkit)} | ${ratio(version.dbkit, version.node)} × node -e 0 |`, `| node -e 0 | ${fmt(version.node)} | 1.00 |`, "");
  return `${lines.join("\n")}\n`;
}

const isReference = (name) => name.startsWith("lower bound") || name.startsWith("reference");

/** The issue's targets, judged on the largest N of this run (medians of per-run ratios). */
function targets({ n, samples }, version, minutes) {
  const r = (a, b) => (a.length && b?.length ? medianRatio(a, b) : NaN);
  const dbkit = samples.dbkit;
  const peers = Object.keys(samples).filter((name) => !name.startsWith("dbkit") && !isReference(name));
  const slowPeers = peers.filter((name) => !name.startsWith("dbmate"));
  const dbmate = samples[peers.find((name) => name.startsWith("dbmate"))];
  const lower = samples[Object.keys(samples).find((name) => name.startsWith("lower bound"))];
  const single = samples["dbkit --single-transaction"];
  const rows = [
    [`full apply ≤ 1.05 × the lower bound (default: a transaction per file)`, r(dbkit.apply, lower?.apply), (x) => x <= 1.05, "×"],
    [`full apply ≤ 1.05 × the lower bound (--single-transaction)`, r(single.apply, lower?.apply), (x) => x <= 1.05, "×"],
    [`full apply no slower than the fastest peer (default)`, Math.max(...peers.map((p) => r(dbkit.apply, samples[p].apply))), (x) => x <= 1, "× the fastest"],
    [`full apply no slower than the fastest peer (--single-transaction)`, Math.max(...peers.map((p) => r(single.apply, samples[p].apply))), (x) => x <= 1, "× the fastest"],
    [`no-op migrate ≤ 1.3 × dbmate`, r(dbkit.noop, dbmate?.noop), (x) => x <= 1.3, "×"],
    [`status ≤ 1.3 × dbmate`, r(dbkit.status, dbmate?.status), (x) => x <= 1.3, "×"],
    [`no-op migrate ≥ 3 × faster than ${slowPeers.join(", ")}`, Math.max(...slowPeers.map((p) => r(dbkit.noop, samples[p].noop))), (x) => x <= 1 / 3, "× the slowest ratio"],
    [`dbkit --version ≤ 1.6 × node -e 0`, r(version.dbkit, version.node), (x) => x <= 1.6, "×"],
    [`peak RSS of a full apply < 120 MB`, Math.max(median(dbkit.rss), median(single.rss)), (x) => x < 120, "MB"],
    // #19: the quick run is CI's smoke test. Timed from this script's start (the build before it is not counted).
    ...(quick ? [[`npm run bench -- --quick under 3 minutes (on a quiet machine; the build before it not counted)`, minutes, (x) => x < 3, "min"]] : []),
  ];
  return [
    `### Targets (N = ${n})`,
    "",
    "| target | this run | |",
    "|---|---|---|",
    ...rows.map(([what, value, ok, unit]) => `| ${what} | ${Number.isNaN(value) ? "n/a" : `${value.toFixed(2)} ${unit}`} | ${Number.isNaN(value) ? "not measured" : ok(value) ? "met" : "missed"} |`),
  ];
}

function machine() {
  return `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}; Postgres: ${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : "embedded 17 (default durable settings)"}${process.env.NODE_EXTRA_CA_CERTS ? "; every tool run without this shell's NODE_EXTRA_CA_CERTS" : ""}; ${new Date().toISOString().slice(0, 10)}.`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
