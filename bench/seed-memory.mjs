#!/usr/bin/env node
// Peak memory of loading a pg_dump-style COPY seed: streaming means it stays flat as the file grows.
//
//   npm run bench:seed            # 100k and 1M rows
//
// Postgres: BENCH_DATABASE_URL (a server), else an embedded Postgres 17.
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createWriteStream, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

async function writeSeed(file, rows) {
  const out = createWriteStream(file);
  out.write("SET client_encoding = 'UTF8';\nCOPY public.items (id, name, note) FROM stdin;\n");
  for (let i = 1; i <= rows; i++) {
    if (!out.write(`${i}\titem ${i}\ta note with some text in it, row ${i}\n`)) await new Promise((r) => out.once("drain", r));
  }
  out.write("\\.\n");
  await new Promise((r) => out.end(r));
}

async function run(cwd, env) {
  const rssFile = path.join(os.tmpdir(), `seed-rss-${process.pid}`);
  const argv = [path.join(ROOT, "bin/dbkit.cjs"), "migrate", "--quiet"];
  const [cmd, args] = TIME ? [TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...argv]] : [process.execPath, argv];
  const started = Date.now();
  const code = await new Promise((resolve) => spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: "inherit" }).on("close", resolve));
  if (code !== 0) throw new Error(`dbkit exited ${code}`);
  const rss = TIME ? Number((await readFile(rssFile, "utf8")).trim().split("\n").pop()) / 1024 : NaN;
  return { ms: Date.now() - started, rss };
}

const serverDir = process.env.BENCH_DATABASE_URL ? undefined : await mkdtemp(path.join(os.tmpdir(), "dbkit-seedbench-pg-"));
let server;
if (serverDir) {
  await chmod(serverDir, 0o755);
  const { startEmbeddedServer } = await import(path.join(ROOT, "dist/local/embedded-server.js"));
  server = await startEmbeddedServer({ dir: serverDir });
}
const base = process.env.BENCH_DATABASE_URL ?? server.url();
const admin = postgres(base, { max: 1, onnotice: () => undefined });
const lines = ["| rows | seed file (MB) | time (ms) | peak RSS (MB) |", "|---|---|---|---|"];
try {
  for (const rows of [100_000, 1_000_000]) {
    const project = await mkdtemp(path.join(os.tmpdir(), "dbkit-seedbench-"));
    await mkdir(path.join(project, "migrations"));
    await mkdir(path.join(project, "seeds"));
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(project, "migrations", "0001_items.sql"), "create table public.items (id int primary key, name text, note text);\n");
    await writeSeed(path.join(project, "seeds", "items.sql"), rows);
    const size = (await stat(path.join(project, "seeds", "items.sql"))).size / 2 ** 20;
    const db = `seedbench_${rows}`;
    await admin.unsafe(`drop database if exists ${db}`);
    await admin.unsafe(`create database ${db}`);
    const url = new URL(base);
    url.pathname = `/${db}`;
    const result = await run(project, { DATABASE_URL: url.toString() });
    lines.push(`| ${rows.toLocaleString("en")} | ${size.toFixed(0)} | ${result.ms} | ${result.rss.toFixed(0)} |`);
    await admin.unsafe(`drop database ${db} with (force)`);
    await rm(project, { recursive: true, force: true });
  }
} finally {
  await admin.end();
  await server?.stop();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
}
console.log(`Command: \`npm run bench:seed\`\n\n${lines.join("\n")}`);
