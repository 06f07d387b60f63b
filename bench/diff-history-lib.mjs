// The history round trip of a migration folder, shared by bench/diff-history.mjs (dbkit against
// @supabase/pg-delta and @pgkit/migra) and test/integration/diff-history.test.ts (dbkit alone).
//
// For a folder of n files and every step k (0 ≤ k < n): state_k is files 1..k applied by
// `dbkit migrate` to a fresh database (with the Supabase base where the folder is a Supabase
// project, for every engine alike), state_k+1 likewise. An engine writes the SQL from state_k to
// state_k+1; the SQL is applied to a copy of state_k (CREATE DATABASE ... TEMPLATE); the copy is
// compared with state_k+1 by verify's own catalog reader and comparer. Zero differences: the
// step is reproduced. The journal schema is dropped from every state, so no engine sees it.
//
// Imports dbkit's built modules from dist/ (run `npm run build` first).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin/dbkit.cjs");
const JOURNAL = "dbkit";
/** A module of the built dbkit (dist/). */
const dist = (file) => import(path.join(ROOT, "dist", file));

/** The migration files of a project folder (its `migrations/`), in the order dbkit applies them. */
export function readHistory(projectDir) {
  const dir = path.join(projectDir, "migrations");
  const names = readdirSync(dir).filter((name) => name.endsWith(".sql") && !name.endsWith(".down.sql")).sort();
  return { name: path.basename(projectDir), files: names.map((name) => ({ name, text: readFileSync(path.join(dir, name), "utf8") })) };
}

/** Runs a command with a bounded wait; never throws on a non-zero exit. */
export function run(command, args, { cwd = ROOT, env = {}, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, DATABASE_URL: "", POSTGRES_URL: "", SUPABASE_DB_URL: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const connect = (url) => postgres(url, { max: 1, onnotice: () => undefined });
const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

function urlFor(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A project folder holding `files` as its migrations; `supabase: true` is written to its config when set. */
async function writeProject(files, supabase) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-history-"));
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, "migrations"));
  for (const file of files) await writeFile(path.join(dir, "migrations", file.name), file.text);
  if (supabase) await writeFile(path.join(dir, "dbkit.config.json"), `{ "supabase": true }\n`);
  return dir;
}

/**
 * One database per state of the folder on the server. Returns their URLs, whether the folder is a
 * Supabase project (dbkit installed its base for the whole folder), and a `drop()`.
 */
export async function buildStates(history, serverUrl) {
  const prefix = `hist_${randomBytes(4).toString("hex")}`;
  const admin = connect(serverUrl);
  const names = history.files.map((_, k) => `${prefix}_${k}`).concat(`${prefix}_${history.files.length}`);
  const urls = names.map((name) => urlFor(serverUrl, name));
  const drop = async () => {
    for (const name of names) await admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
    await admin.end();
  };
  try {
    const n = history.files.length;
    // The whole folder first: dbkit decides from all its files whether it is a Supabase project.
    await migrateState(admin, names[n], urls[n], history.files, false);
    const supabase = await hasSupabaseBase(urls[n]);
    for (let k = 0; k < n; k++) await migrateState(admin, names[k], urls[k], history.files.slice(0, k), supabase);
    return { urls, supabase, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function migrateState(admin, name, url, files, supabase) {
  await admin.unsafe(`create database ${quoteIdent(name)}`);
  if (files.length === 0) {
    // migrate installs the base only when it applies a file: the empty state gets it directly.
    if (supabase) {
      const { installSupabaseBase } = await dist("db/supabase-queries.js");
      const sql = connect(url);
      await sql.begin((tx) => installSupabaseBase(tx, [])).finally(() => sql.end());
    }
    return;
  }
  const dir = await writeProject(files, supabase);
  try {
    const migrated = await run(process.execPath, [BIN, "migrate"], { cwd: dir, env: { DATABASE_URL: url } });
    if (migrated.code !== 0) throw new Error(`dbkit migrate of ${files.at(-1).name} failed (exit ${migrated.code}): ${migrated.stderr.trim()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const sql = connect(url);
  await sql.unsafe(`drop schema if exists ${JOURNAL} cascade`).finally(() => sql.end());
}

async function hasSupabaseBase(url) {
  const { SUPABASE_BASE_MARKER } = await dist("local/supabase-base.js");
  const sql = connect(url);
  try {
    const [row] = await sql`select obj_description(to_regnamespace('auth'), 'pg_namespace') = ${SUPABASE_BASE_MARKER} as base`;
    return row?.base === true;
  } finally {
    await sql.end();
  }
}

/** What verify compares for the files 1..k: the scope its analysis derives from them. */
async function scopeOf(files, supabase) {
  const { analyseMigrations } = await dist("engine/verify-analysis.js");
  const migrationFiles = files.map((file) => ({ name: file.name.replace(/\.sql$/, ""), path: `migrations/${file.name}`, text: upSection(file.text) }));
  return (await analyseMigrations(migrationFiles, undefined, JOURNAL, supabase)).scope;
}

/** dbmate's files hold an up and a down section; only the up one builds the schema. */
export function upSection(text) {
  const up = /^--\s*migrate:up\b.*$/m.exec(text);
  if (!up) return text;
  const rest = text.slice(up.index + up[0].length);
  const down = /^--\s*migrate:down\b.*$/m.exec(rest);
  return down ? rest.slice(0, down.index) : rest;
}

async function readSchema(url, scope) {
  const { readCatalog } = await dist("db/catalog-reader.js");
  const sql = connect(url);
  try {
    return await sql.begin("isolation level repeatable read read only", (tx) => readCatalog(tx, scope));
  } finally {
    await sql.end();
  }
}

/** Verify's comparison of two databases, as one line per difference. */
export async function compareDatabases(expectedUrl, actualUrl, scope) {
  const { diffCatalogs } = await dist("core/catalog.js");
  const differences = diffCatalogs(await readSchema(expectedUrl, scope), await readSchema(actualUrl, scope));
  return differences.map((d) => `${d.kind === "missing" ? "-" : d.kind === "extra" ? "+" : "~"} ${d.key}${d.props ? `: ${d.props.map((p) => `${p.prop} ${JSON.stringify(p.actual)} instead of ${JSON.stringify(p.expected)}`).join("; ")}` : ` ${d.kind}`}`);
}

/**
 * Applies an engine's SQL as a migration runner would: each transactional segment in one
 * transaction, each statement of a non-transactional segment on its own.
 */
async function applySegments(url, segments) {
  const { parseStatements } = await dist("sql/parse-sql.js");
  const sql = connect(url);
  try {
    for (const segment of segments) {
      if (segment.transactional) {
        await sql.begin((tx) => tx.unsafe(segment.sql).simple());
        continue;
      }
      const parsed = await parseStatements(segment.sql);
      if (!parsed.ok) throw new Error(`the SQL does not parse: ${parsed.message}`);
      for (const statement of parsed.statements) await sql.unsafe(statement.text).simple();
    }
  } finally {
    await sql.end();
  }
}

/**
 * Runs the round trip of one folder with the given engines (see ENGINES in diff-history-engines.mjs).
 * Returns per step and engine: reproduced or not, the SQL, and why not (an error or the differences).
 */
export async function roundTrip(history, serverUrl, engines, { onStep } = {}) {
  const states = await buildStates(history, serverUrl);
  const admin = connect(serverUrl);
  const steps = [];
  try {
    for (let k = 0; k < history.files.length; k++) {
      const files = history.files.slice(0, k + 1);
      const scope = await scopeOf(files, states.supabase);
      const project = await writeProject(files, states.supabase);
      const step = { step: k + 1, file: history.files[k].name, results: {} };
      try {
        for (const engine of engines) {
          step.results[engine.name] = await reproduce(admin, engine, { fromUrl: states.urls[k], toUrl: states.urls[k + 1], project, files, supabase: states.supabase, scope, serverUrl });
        }
      } finally {
        await rm(project, { recursive: true, force: true });
      }
      steps.push(step);
      onStep?.(step);
    }
  } finally {
    await admin.end();
    await states.drop();
  }
  return { folder: history.name, steps };
}

async function reproduce(admin, engine, { fromUrl, toUrl, project, files, supabase, scope, serverUrl }) {
  let planned;
  try {
    planned = await engine.plan({ fromUrl, toUrl, cwd: project, supabase, files });
  } catch (error) {
    planned = { error: error instanceof Error ? error.message : String(error) };
  }
  if (planned.error) return { reproduced: false, sql: "", error: `${engine.name} failed: ${planned.error}`, differences: [] };
  const sql = planned.segments.map((s) => (s.transactional ? s.sql : `-- outside a transaction\n${s.sql}`)).join("\n");
  const copy = `${new URL(fromUrl).pathname.slice(1)}_${engine.name.replace(/\W/g, "_")}`;
  await admin.unsafe(`create database ${quoteIdent(copy)} template ${quoteIdent(new URL(fromUrl).pathname.slice(1))}`);
  const copyUrl = urlFor(serverUrl, copy);
  try {
    try {
      await applySegments(copyUrl, planned.segments);
    } catch (error) {
      return { reproduced: false, sql, error: `applying its SQL failed: ${error instanceof Error ? error.message : String(error)}`, differences: [] };
    }
    const differences = await compareDatabases(toUrl, copyUrl, scope);
    return { reproduced: differences.length === 0, sql, differences };
  } finally {
    await admin.unsafe(`drop database if exists ${quoteIdent(copy)} with (force)`);
  }
}

/** The share of steps reproduced, as "9 of 10 (90 %)". */
export function share(reproduced, total) {
  return `${reproduced} of ${total} (${total === 0 ? 0 : Math.round((100 * reproduced) / total)} %)`;
}

/** The failing steps of one engine as Markdown: the step, why, the SQL and the remaining differences. */
export function failureReport(result, engineName) {
  const lines = [];
  for (const step of result.steps) {
    const outcome = step.results[engineName];
    if (!outcome || outcome.reproduced) continue;
    lines.push(`### ${result.folder} step ${step.step}: ${step.file}`, "");
    if (outcome.error) lines.push(outcome.error, "");
    if (outcome.differences.length > 0) lines.push("Remaining differences (state after the step = expected):", "", ...outcome.differences.map((d) => `- ${d}`), "");
    lines.push("SQL written:", "", "```sql", outcome.sql.trim() || "-- (nothing)", "```", "");
  }
  return lines.join("\n");
}
