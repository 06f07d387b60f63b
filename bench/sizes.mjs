#!/usr/bin/env node
// Speed at real sizes (#19), each against its yardstick in the same run, the tools taking turns:
//   parsing a 1 MB migration file          against libpg-query's own parse of it
//   a pg_dump --data-only seed              against psql -f (time, peak RSS)
//   no-op migrate and status at N files     against dbmate (and plain Node scripts doing only a no-op's and only a status's work: bench/noop-floor.cjs, bench/status-floor.cjs); apply's peak RSS at the largest N
//   warm verify (1000 tables; one 200-table file) against pg_dump --schema-only (needs Debian's Postgres 15)
//   cold verify (1000 tables)              against psql -1 -f of the migrations + migra (bench/migra-route.mjs)
//   the embedded default                    no-op migrate against node -e 0 (per-command server, and kept by `dbkit start`); verify of the example project
//
//   npm run bench:sizes                 # 200 MB seed, N = 1000 and 5000
//   npm run bench:sizes -- --quick      # 20 MB seed, N = 1000: a smoke test
//   BENCH_ONLY=noop BENCH_SIZES=5000 npm run bench:sizes   # one part, one size
//
// Measured commands run without this machine's NODE_EXTRA_CA_CERTS, which no user's machine has
// and which costs every Node process about 30 ms to start (dbmate's too: npm installs it as a Node
// launcher of its Go binary); the no-op and embedded rows are given again as the shell runs them
// (see SHELL_CA below).
// Ratios are medians of the ratios of each pair of runs. Postgres: an embedded 17 (durable
// settings); the verify rows run against Debian's Postgres 15, for which this pg_dump is made.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { installPeers, PEER_VERSIONS } from "./diff-history-engines.mjs";
import { ROUTE_STEPS, writeMigraRoute } from "./migra-route.mjs";
import { SEED_SCHEMA, writeSeedFile } from "./seed-file.mjs";
import { migrationSql } from "./synthetic.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DBKIT = path.join(ROOT, "bin/dbkit.cjs");
const DBMATE = path.join(ROOT, "node_modules/.bin/dbmate");
const FLOOR = path.join(ROOT, "bench/noop-floor.cjs");
const STATUS_FLOOR = path.join(ROOT, "bench/status-floor.cjs");
const quick = process.argv.includes("--quick");
const SEED_MB = Number(process.env.BENCH_SEED_MB ?? (quick ? 20 : 200));
const SIZES = (process.env.BENCH_SIZES ?? (quick ? "1000" : "1000,5000")).split(",").map(Number);
const ROUNDS = quick ? 3 : 9;
const PG15 = "/usr/lib/postgresql/15";
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
// BENCH_ONLY=noop,verify runs only those parts (parse, seeds, noop, verify, cold, embedded).
const ONLY = process.env.BENCH_ONLY?.split(",");
const runs = (part) => !ONLY || ONLY.includes(part);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (a, b) => median(a.map((x, i) => x / b[i]));
const rows = [];
const verdict = (ok) => (ok ? "met" : "missed");
/**
 * A row for one target: dbkit against its yardstick, the ratio judged against `max`; `also` adds
 * further judged figures (a peak RSS), each `[text, ok]`; `note` says more of how it was measured.
 */
const report = (what, a, b, yardstick, max, also = [], note = "") => {
  const value = ratio(a.ms, b.ms);
  const judged = [`${verdict(value <= max)}`, ...also.map(([text, ok]) => `${text}: ${verdict(ok)}`), ...(note ? [note] : [])].join("; ");
  rows.push(`| ${what} | ${median(a.ms).toFixed(0)} | ${median(b.ms).toFixed(0)} (${yardstick}) | ${value.toFixed(2)} × | ≤ ${max} × | ${judged} |`);
  console.error(rows.at(-1));
};
/** A row for a target with no yardstick: `value` against `limit` (ms or MB). */
const absolute = (what, value, unit, limit, note = "") => {
  rows.push(`| ${what} | ${value.toFixed(0)} ${unit} | | | < ${limit} ${unit} | ${verdict(value < limit)}${note ? `; ${note}` : ""} |`);
  console.error(rows.at(-1));
};

/**
 * This machine's shell sets NODE_EXTRA_CA_CERTS (for its network proxy), which makes every Node
 * process parse a bundle of certificates as it starts: about 30 ms, more than `node -e 0` itself.
 * A user's machine or CI runner does not have it, so measured commands run without it. It weighs
 * on both sides of the short rows (dbmate as npm installs it is a Node launcher of its Go binary),
 * pulling their ratios towards 1: the no-op and embedded rows are also given as this shell runs
 * them (`shell: true`), to compare with earlier runs.
 */
const SHELL_CA = process.env.NODE_EXTRA_CA_CERTS;
const { NODE_EXTRA_CA_CERTS: _shellOnly, ...USER_ENV } = process.env;
const AS_SHELL = " (as this shell runs it, with NODE_EXTRA_CA_CERTS)";

async function measure(command, argv, { env = {}, cwd = ROOT, shell = false } = {}) {
  const rssFile = path.join(os.tmpdir(), `bench-sizes-rss-${process.pid}`);
  const [cmd, args] = TIME ? [TIME, ["-f", "%M", "-o", rssFile, command, ...argv]] : [command, argv];
  const started = process.hrtime.bigint();
  const { code, stderr } = await new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...(shell ? process.env : USER_ENV), ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (c) => resolve({ code: c, stderr: err }));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0 && code !== 5) throw new Error(`${command} ${argv.join(" ")} exited ${code}: ${stderr.slice(-800)}`);
  const rss = TIME ? Number((await readFile(rssFile, "utf8")).trim().split("\n").pop()) / 1024 : NaN;
  return { ms, rss };
}

/** Runs `a` and `b` in turn `n` times; returns their times (and peak RSS) pair by pair. */
async function pairs(n, a, b) {
  const out = { a: { ms: [], rss: [] }, b: { ms: [], rss: [] } };
  for (let i = 0; i < n; i++) {
    for (const [side, run] of i % 2 === 0 ? [["a", a], ["b", b]] : [["b", b], ["a", a]]) {
      const r = await run(i);
      out[side].ms.push(r.ms);
      out[side].rss.push(r.rss);
    }
  }
  return out;
}

async function embeddedServer(dir, binaries) {
  const { startEmbeddedServer } = await import(path.join(ROOT, "dist/local/embedded-server.js"));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  return startEmbeddedServer({ dir, ...(binaries ? { binaries } : {}) });
}

async function project(dir, files) {
  await mkdir(path.join(dir, "migrations"), { recursive: true });
  await chmod(dir, 0o755);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

// ------------------------------------------------------------------ parsing
async function benchParse() {
  const { loadModule, parseSync } = await import("libpg-query");
  const { parseStatements } = await import(path.join(ROOT, "dist/sql/parse-sql.js"));
  await loadModule();
  const parts = [];
  for (let i = 1; parts.join("").length < 1024 * 1024; i++) parts.push(migrationSql(i));
  const text = parts.join("\n");
  const result = await pairs(ROUNDS * 2, async () => {
    const t = performance.now();
    await parseStatements(text);
    return { ms: performance.now() - t };
  }, async () => {
    const t = performance.now();
    parseSync(text);
    return { ms: performance.now() - t };
  });
  report(`parse a ${(text.length / 2 ** 20).toFixed(1)} MB migration file (in process)`, result.a, result.b, "libpg-query parseSync", 3);
}

// ------------------------------------------------------------------ seeds
async function benchSeeds(work, server) {
  const dir = await project(path.join(work, "seed"), { "migrations/0001_schema.sql": SEED_SCHEMA });
  await mkdir(path.join(dir, "seeds"));
  const file = path.join(dir, "seeds", "data.sql");
  await writeSeedFile(file, SEED_MB);
  const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
  const fresh = async (db, schema) => {
    await admin.unsafe(`drop database if exists ${db} with (force)`);
    await admin.unsafe(`create database ${db}`);
    if (schema) {
      const sql = postgres(server.url(db), { max: 1, onnotice: () => undefined });
      await sql.unsafe(SEED_SCHEMA);
      await sql.end();
    }
    await admin.unsafe("checkpoint");
  };
  const runs = quick ? 2 : 3;
  const result = await pairs(runs, async (i) => {
    await fresh(`seed_dbkit_${i}`, false);
    return measure(process.execPath, [DBKIT, "migrate", "--quiet"], { cwd: dir, env: { DATABASE_URL: server.url(`seed_dbkit_${i}`) } });
  }, async (i) => {
    await fresh(`seed_psql_${i}`, true);
    return measure("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file, server.url(`seed_psql_${i}`)]);
  });
  for (let i = 0; i < runs; i++) await admin.unsafe(`drop database if exists seed_dbkit_${i} with (force); `).then(() => admin.unsafe(`drop database if exists seed_psql_${i} with (force)`));
  await admin.end();
  const size = (await import("node:fs")).statSync(file).size / 2 ** 20;
  const rss = median(result.a.rss);
  report(`load a ${size.toFixed(0)} MB pg_dump --data-only seed (dbkit: migrate, schema + seed)`, result.a, result.b, "psql -f", 1.2, [[`peak RSS ${rss.toFixed(0)} MB (psql ${median(result.b.rss).toFixed(0)}) < 100 MB`, rss < 100]]);
}

// ------------------------------------------------------------------ no-op migrate and status
async function benchNoOps(work, server, n) {
  const dir = path.join(work, `noop-${n}`);
  await mkdir(path.join(dir, "dbkit", "migrations"), { recursive: true });
  await mkdir(path.join(dir, "dbmate"), { recursive: true });
  for (let i = 1; i <= n; i++) {
    const sql = migrationSql(i);
    await writeFile(path.join(dir, "dbkit", "migrations", `${String(i).padStart(5, "0")}_t${i}.sql`), sql);
    await writeFile(path.join(dir, "dbmate", `${20250101000000 + i}_t${i}.sql`), `-- migrate:up\n${sql}\n-- migrate:down\n`);
  }
  const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
  await admin.unsafe(`do $$ begin if not exists (select from pg_roles where rolname = 'bench_reader') then create role bench_reader; end if; end $$`);
  for (const db of [`noop_dbkit_${n}`, `noop_dbmate_${n}`]) {
    await admin.unsafe(`drop database if exists ${db} with (force)`);
    await admin.unsafe(`create database ${db}`);
  }
  const dbkitEnv = { DATABASE_URL: server.url(`noop_dbkit_${n}`) };
  const dbmateUrl = `${server.url(`noop_dbmate_${n}`)}?sslmode=disable`;
  const dbkitArgs = (command) => [DBKIT, command, "--no-seed", "--migrations-dir", path.join(dir, "dbkit", "migrations"), "--quiet"].filter((a) => command !== "status" || a !== "--no-seed");
  const applied = await measure(process.execPath, dbkitArgs("migrate"), { cwd: path.join(dir, "dbkit"), env: dbkitEnv });
  await measure(DBMATE, ["--url", dbmateUrl, "--migrations-dir", path.join(dir, "dbmate"), "--no-dump-schema", "up"], { cwd: dir });
  for (const db of [`noop_dbkit_${n}`, `noop_dbmate_${n}`]) {
    const sql = postgres(server.url(db), { max: 1, onnotice: () => undefined });
    await sql.unsafe("vacuum analyze");
    await sql.end();
  }
  await admin.unsafe("checkpoint");
  // One warm-up each: dbkit records the files' stats on its first run after they are old enough.
  await measure(process.execPath, dbkitArgs("migrate"), { cwd: path.join(dir, "dbkit"), env: dbkitEnv });
  const noOps = async (shell) => {
    const noop = await pairs(ROUNDS * 2, () => measure(process.execPath, dbkitArgs("migrate"), { cwd: path.join(dir, "dbkit"), env: dbkitEnv, shell }), () =>
      measure(DBMATE, ["--url", dbmateUrl, "--migrations-dir", path.join(dir, "dbmate"), "--no-dump-schema", "up"], { cwd: dir, shell }),
    );
    const status = await pairs(ROUNDS * 2, () => measure(process.execPath, dbkitArgs("status"), { cwd: path.join(dir, "dbkit"), env: dbkitEnv, shell }), () =>
      measure(DBMATE, ["--url", dbmateUrl, "--migrations-dir", path.join(dir, "dbmate"), "status"], { cwd: dir, shell }),
    );
    report(`no-op migrate, N = ${n}${shell ? AS_SHELL : ""}`, noop.a, noop.b, "dbmate up", 1.1);
    report(`status, N = ${n}${shell ? AS_SHELL : ""}`, status.a, status.b, "dbmate status", 1.1);
    return { noop, status };
  };
  const { noop, status } = await noOps(false);
  if (SHELL_CA) await noOps(true);
  // Not targets: plain Node scripts that do only a no-op's work and only a status's work.
  const reference = async (script, work, dbmateArgs, yardstick, dbkitRun) => {
    const floor = await pairs(ROUNDS * 2, () => measure(process.execPath, [script, path.join(dir, "dbkit", "migrations")], { env: dbkitEnv }), () =>
      measure(DBMATE, ["--url", dbmateUrl, "--migrations-dir", path.join(dir, "dbmate"), ...dbmateArgs], { cwd: dir }),
    );
    rows.push(
      `| reference: a plain Node script doing only ${work}, N = ${n} (postgres.js, one journal query, a stat per file; no code cache) | ${median(floor.a.ms).toFixed(0)} | ${median(floor.b.ms).toFixed(0)} (${yardstick}) | ${ratio(floor.a.ms, floor.b.ms).toFixed(2)} × | | dbkit ${dbkitRun.what} ÷ this ${(median(dbkitRun.ms) / median(floor.a.ms)).toFixed(2)} × |`,
    );
    console.error(rows.at(-1));
  };
  await reference(FLOOR, "a no-op's work", ["--no-dump-schema", "up"], "dbmate up", { what: "no-op", ms: noop.a.ms });
  await reference(STATUS_FLOOR, "a status's work (a line per migration)", ["status"], "dbmate status", { what: "status", ms: status.a.ms });
  // The target is set at N = 5000; smaller runs show the trend.
  absolute(`full apply's peak RSS, N = ${n}`, applied.rss, "MB", 100, n === 5000 ? "" : "the target is set at N = 5000");
  for (const db of [`noop_dbkit_${n}`, `noop_dbmate_${n}`]) await admin.unsafe(`drop database if exists ${db} with (force)`);
  await admin.end();
}

// ------------------------------------------------------------------ cold verify against psql -1 -f + migra
const COLD_ROW = "cold verify, 1000 tables, against the psql -1 build + migra route";
/**
 * Cold `dbkit verify` (its cache, .dbkit/verify-cache, removed before each run, untimed; the
 * expected schema built on the same server via --shadow-url) against proving the same live
 * database without dbkit: the route of bench/migra-route.mjs, timed as one `sh` process. Each
 * has one untimed run first (dbkit's: the cold run before the warm rows).
 */
async function benchColdVerify(work, server, dir, db) {
  let migra;
  try {
    ({ migra } = installPeers(["@pgkit/migra"]));
  } catch (error) {
    rows.push(`| ${COLD_ROW} | | | | ≤ 0.8 × | not measured: ${error.message} |`);
    return;
  }
  const script = await writeMigraRoute(work, { psql: path.join(PG15, "bin", "psql"), migra, migrationsDir: path.join(dir, "migrations"), serverUrl: server.url(), liveUrl: server.url(db), scratch: "migra_route_scratch" });
  try {
    await measure("sh", [script]);
  } catch (error) {
    rows.push(`| ${COLD_ROW} | | | | ≤ 0.8 × | not measured: the route failed: ${error.message.replaceAll("\n", " ").replaceAll("|", "/").slice(0, 600)} |`);
    return;
  }
  const env = { DATABASE_URL: server.url(db) };
  const result = await pairs(quick ? 3 : 7, async () => {
    await rm(path.join(dir, ".dbkit", "verify-cache"), { recursive: true, force: true });
    return measure(process.execPath, [DBKIT, "verify", "--shadow-url", server.url(), "--quiet"], { cwd: dir, env });
  }, () => measure("sh", [script]));
  const route = `${ROUTE_STEPS.join("; ")} (@pgkit/migra@${PEER_VERSIONS["@pgkit/migra"]}, psql ${PG15}, one sh process)`;
  const note = `dbkit: verify --shadow-url <same server>, .dbkit/verify-cache removed before each run; the route: ${route}; ${result.a.ms.length} pairs`;
  report("cold verify, 1000 tables", result.a, result.b, "psql -1 build + migra", 0.8, [], note);
}

// ------------------------------------------------------------------ warm verify against pg_dump --schema-only
async function benchVerify(work) {
  if (!existsSync(path.join(PG15, "bin", "postgres"))) {
    if (runs("verify")) rows.push("| warm verify | n/a | n/a | | ≤ 1.0 × | not measured: no Debian Postgres 15 (pg_dump must match the server) |");
    if (runs("cold")) rows.push(`| ${COLD_ROW} | n/a | n/a | | ≤ 0.8 × | not measured: no Debian Postgres 15 (the verify rows run on it) |`);
    return;
  }
  const { binariesIn } = await import(path.join(ROOT, "dist/local/embedded-binaries.js"));
  const server = await embeddedServer(path.join(work, "pg15"), binariesIn(PG15, "15"));
  try {
    const admin = postgres(server.url(), { max: 1, onnotice: () => undefined });
    await admin.unsafe(`do $$ begin if not exists (select from pg_roles where rolname = 'bench_reader') then create role bench_reader; end if; end $$`);
    const cases = [
      ["1000 tables in 1000 files", (i) => ({ [`migrations/${String(i).padStart(5, "0")}_t${i}.sql`]: migrationSql(i) }), 1000],
      ["200 tables in one file", () => ({}), 200],
    ];
    for (const [what, fileOf, tables] of cases) {
      if (!runs("verify") && tables !== 1000) continue;
      const db = `verify_${tables}`;
      await admin.unsafe(`drop database if exists ${db} with (force)`);
      await admin.unsafe(`create database ${db}`);
      let files = {};
      for (let i = 1; i <= tables; i++) Object.assign(files, fileOf(i));
      if (tables === 200) files = { "migrations/00001_schema.sql": Array.from({ length: 200 }, (_, k) => migrationSql(k + 1)).join("\n") };
      const dir = await project(path.join(work, `verify-${tables}`), files);
      const env = { DATABASE_URL: server.url(db) };
      await measure(process.execPath, [DBKIT, "migrate", "--quiet"], { cwd: dir, env });
      // Cold: builds the expected schema on the same Postgres 15 server (--shadow-url), then caches it.
      const cold = await measure(process.execPath, [DBKIT, "verify", "--shadow-url", server.url(), "--quiet"], { cwd: dir, env });
      if (runs("verify")) {
        const result = await pairs(ROUNDS * 2, () => measure(process.execPath, [DBKIT, "verify", "--shadow-url", server.url(), "--quiet"], { cwd: dir, env }), () =>
          measure(path.join(PG15, "bin", "pg_dump"), ["--schema-only", "-f", "/dev/null", "-d", server.url(db)]),
        );
        const rss = median(result.a.rss);
        report(`warm verify, ${what} (cold: ${cold.ms.toFixed(0)} ms)`, result.a, result.b, "pg_dump --schema-only", tables === 1000 ? 1.0 : 1.5, tables === 1000 ? [[`peak RSS ${rss.toFixed(0)} MB < 120 MB`, rss < 120]] : []);
      }
      if (tables === 1000 && runs("cold")) await benchColdVerify(work, server, dir, db);
      await admin.unsafe(`drop database if exists ${db} with (force)`);
    }
    await admin.end();
  } finally {
    await server.stop();
  }
}

// ------------------------------------------------------------------ the embedded default
async function benchEmbedded(work) {
  const dir = await project(path.join(work, "embedded"), {});
  cpSync(path.join(ROOT, "migrations"), path.join(dir, "migrations"), { recursive: true });
  cpSync(path.join(ROOT, "seeds"), path.join(dir, "seeds"), { recursive: true });
  await measure(process.execPath, [DBKIT, "migrate", "--quiet"], { cwd: dir });
  await measure(process.execPath, [DBKIT, "migrate", "--quiet"], { cwd: dir });
  for (const shell of SHELL_CA ? [false, true] : [false]) {
    const noop = await pairs(ROUNDS * 2, () => measure(process.execPath, [DBKIT, "migrate", "--quiet"], { cwd: dir, shell }), () => measure(process.execPath, ["-e", "0"], { shell }));
    report(`no-op migrate on the embedded default (example project)${shell ? AS_SHELL : ""}`, noop.a, noop.b, "node -e 0", 2.5);
  }
  // The same with the server kept running by `dbkit start`: nothing to start or stop per command.
  await measure(process.execPath, [DBKIT, "start", "--quiet"], { cwd: dir });
  try {
    for (const shell of SHELL_CA ? [false, true] : [false]) {
      const kept = await pairs(ROUNDS * 2, () => measure(process.execPath, [DBKIT, "migrate", "--quiet"], { cwd: dir, shell }), () => measure(process.execPath, ["-e", "0"], { shell }));
      report(`no-op migrate on the embedded default, server kept by \`dbkit start\`${shell ? AS_SHELL : ""}`, kept.a, kept.b, "node -e 0", 2.5);
    }
  } finally {
    await measure(process.execPath, [DBKIT, "stop", "--quiet"], { cwd: dir });
  }
  const cold = [];
  const warm = [];
  for (let i = 0; i < (quick ? 2 : 3); i++) {
    await rm(path.join(dir, ".dbkit", "verify-cache"), { recursive: true, force: true });
    cold.push((await measure(process.execPath, [DBKIT, "verify", "--quiet"], { cwd: dir })).ms);
    warm.push((await measure(process.execPath, [DBKIT, "verify", "--quiet"], { cwd: dir })).ms);
  }
  absolute("cold verify of the example project on the embedded default", median(cold), "ms", 4000);
  absolute("warm verify of the example project on the embedded default", median(warm), "ms", 1000);
}

async function main() {
  execFileSync("psql", ["--version"], { stdio: "ignore" });
  const work = await mkdtemp(path.join(os.tmpdir(), "dbkit-bench-sizes-"));
  await chmod(work, 0o755);
  if (runs("parse")) await benchParse();
  // The seeds and no-op parts run on an embedded Postgres 17, started only for them.
  if (runs("seeds") || runs("noop")) {
    const server = await embeddedServer(path.join(work, "pg17"));
    try {
      if (runs("seeds")) await benchSeeds(work, server);
      if (runs("noop")) for (const n of SIZES) await benchNoOps(work, server, n);
    } finally {
      await server.stop();
    }
  }
  try {
    if (runs("verify") || runs("cold")) await benchVerify(work);
    if (runs("embedded")) await benchEmbedded(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const caNote = SHELL_CA ? await shellCaCost() : "";
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
  console.log(
    [
      `Command: \`npm run bench:sizes${quick ? " -- --quick" : ""}\` (${ROUNDS * 2} alternating pairs for the short runs; medians in ms; ratios are medians of the pair-by-pair ratios)`,
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${load}; ${new Date().toISOString().slice(0, 16)}Z.`,
      ...(caNote ? [caNote] : []),
      "",
      "| what | dbkit | yardstick | ratio | target | notes |",
      "|---|---|---|---|---|---|",
      ...rows,
    ].join("\n"),
  );
}

/** What this shell's NODE_EXTRA_CA_CERTS costs a Node process's start. */
async function shellCaCost() {
  const start = await pairs(ROUNDS * 2, () => measure(process.execPath, ["-e", "0"], { shell: true }), () => measure(process.execPath, ["-e", "0"]));
  return `Measured without this shell's NODE_EXTRA_CA_CERTS, as a user's machine runs (it makes \`node -e 0\` take ${median(start.a.ms).toFixed(0)} ms instead of ${median(start.b.ms).toFixed(0)}); rows marked "as this shell runs it" keep it.`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
