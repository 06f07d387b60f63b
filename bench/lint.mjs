#!/usr/bin/env node
// dbkit lint against squawk (squawk-cli from npm) on the same 200 pending files: time and findings.
//
//   npm run bench:lint        (BENCH_FILES=200 by default)
//
// The project has 10 tables applied (the embedded database's journal), then BENCH_FILES pending
// files of five kinds, in turn: a new table with its index (harmless: the table is new), an index on
// an existing table (a real hazard), an index built concurrently on an existing table (safe), an
// index on an existing table inside a DO block's EXECUTE (a real hazard a static linter cannot see),
// and a nullable column added to an existing table (safe). dbkit's time includes starting the
// embedded server and building the applied state in a scratch database.
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FILES = Number(process.env.BENCH_FILES ?? 200);
const BIN = path.join(ROOT, "bin/dbkit.cjs");
const SQUAWK = installSquawk();

/**
 * squawk-cli is installed on first use into a cache folder, not as a devDependency: its platform
 * packages are optional dependencies, and a lock file made on one platform lists only that one,
 * which makes `npm ci` refuse the lock file everywhere.
 */
function installSquawk() {
  const prefix = path.join(ROOT, "node_modules/.cache/dbkit-bench/squawk-2.66.0");
  const bin = path.join(prefix, "node_modules/.bin/squawk");
  if (spawnSync(bin, ["--version"]).status === 0) return bin;
  const installed = spawnSync("npm", ["install", "--no-save", "--no-package-lock", "--prefix", prefix, "squawk-cli@2.66.0"], { stdio: "inherit" });
  if (installed.status !== 0) throw new Error("could not install squawk-cli@2.66.0 from the npm registry for the comparison");
  return bin;
}

const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-lintbench-"));
await chmod(dir, 0o755);
const migrations = path.join(dir, "migrations");
await mkdir(migrations);
const env = { ...process.env, DATABASE_URL: "", POSTGRES_URL: "", SUPABASE_DB_URL: "" };
const dbkit = (args) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 28 });

try {
  const base = Array.from({ length: 10 }, (_, t) => `create table public.t${t} (id bigint primary key, a int, b text);`).join("\n");
  await writeFile(path.join(migrations, "0000_base.sql"), `${base}\n`);
  const migrated = dbkit(["migrate", "--json"]);
  if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);

  const kinds = { "new-table": [], "existing-plain": [], "existing-concurrently": [], "existing-do-block": [], "add-column": [] };
  for (let i = 1; i <= FILES; i++) {
    const name = `${String(i).padStart(4, "0")}_change.sql`;
    const t = `public.t${i % 10}`;
    let sql;
    let kind;
    switch (i % 5) {
      case 0:
        kind = "new-table";
        sql = `create table public.n${i} (id bigint primary key, owner bigint, note text);\ncreate index n${i}_owner_idx on public.n${i} (owner);\n`;
        break;
      case 1:
        kind = "existing-plain";
        sql = `create index t_plain_${i}_idx on ${t} (a, id);\n`;
        break;
      case 2:
        kind = "existing-concurrently";
        sql = `-- dbkit:no-transaction\ncreate index concurrently t_conc_${i}_idx on ${t} (b, id);\n`;
        break;
      case 3:
        kind = "existing-do-block";
        sql = `do $$\nbegin\n  execute format('create index %I on ${t} (id, a)', 't_do_${i}_idx');\nend $$;\n`;
        break;
      default:
        kind = "add-column";
        sql = `alter table ${t} add column c${i} int;\n`;
    }
    kinds[kind].push(`migrations/${name}`);
    await writeFile(path.join(migrations, name), sql);
  }
  const kindOf = new Map(Object.entries(kinds).flatMap(([kind, files]) => files.map((file) => [file, kind])));

  let start = performance.now();
  const linted = dbkit(["lint", "--json"]);
  const dbkitMs = performance.now() - start;
  if (linted.status !== 0 && linted.status !== 5) throw new Error(`dbkit lint failed (${linted.status}): ${linted.stderr}`);
  const dbkitFindings = JSON.parse(linted.stdout).findings.map((f) => ({ file: f.file, index: f.code === "index-without-concurrently" }));

  const files = [...kindOf.keys()];
  start = performance.now();
  const squawked = spawnSync(SQUAWK, ["--reporter", "json", ...files], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
  const squawkMs = performance.now() - start;
  if (squawked.error) throw squawked.error;
  const squawkFindings = JSON.parse(squawked.stdout || "[]").map((f) => ({ file: path.relative(dir, path.resolve(dir, f.file)), index: f.rule_name === "require-concurrent-index-creation" }));

  const count = (findings, kind) => findings.filter((f) => f.index && kindOf.get(f.file) === kind).length;
  const hazards = kinds["existing-plain"].length + kinds["existing-do-block"].length;
  const row = (label, findings, ms) =>
    `| ${label} | ${(ms / 1000).toFixed(2)} s | ${findings.length} | ${count(findings, "existing-plain") + count(findings, "existing-do-block")} of ${hazards} | ${count(findings, "existing-do-block")} of ${kinds["existing-do-block"].length} | ${count(findings, "new-table")} |`;
  console.log(`dbkit lint vs squawk ${spawnSync(SQUAWK, ["--version"], { encoding: "utf8" }).stdout.trim()} on ${FILES} pending files (10 tables applied); node bench/lint.mjs\n`);
  console.log("| linter | time | findings | index hazards on existing tables found | of them in DO blocks | index findings on tables new in the same deploy |");
  console.log("|---|---|---|---|---|---|");
  console.log(row("dbkit lint (scratch build + measured)", dbkitFindings, dbkitMs));
  console.log(row("squawk (static)", squawkFindings, squawkMs));
} finally {
  await rm(dir, { recursive: true, force: true });
}
