#!/usr/bin/env node
// How fast verify reads a live catalog, against `pg_dump --schema-only` on the same database.
//
//   BENCH_DATABASE_URL=postgres://... npm run bench:catalog
//
// pg_dump refuses servers of a newer major version than its own, so the server must match the
// installed pg_dump (here: Debian's pg_dump 15 with a Postgres 15 server); without
// BENCH_DATABASE_URL an embedded Postgres 17 is used and pg_dump is timed only if it is 17 or newer.
import { execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { migrationSql } from "./synthetic.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TABLES = Number(process.env.BENCH_TABLES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let server;
let serverDir;
if (!process.env.BENCH_DATABASE_URL) {
  serverDir = await mkdtemp(path.join(os.tmpdir(), "dbkit-catbench-pg-"));
  await chmod(serverDir, 0o755);
  const { startEmbeddedServer } = await import(path.join(ROOT, "dist/local/embedded-server.js"));
  server = await startEmbeddedServer({ dir: serverDir, fast: true });
}
const base = process.env.BENCH_DATABASE_URL ?? server.url();
const admin = postgres(base, { max: 1, onnotice: () => undefined });
const db = "catbench";
const url = new URL(base);
url.pathname = `/${db}`;
try {
  await admin.unsafe(`drop database if exists ${db}`);
  await admin.unsafe(`create database ${db}`);
  await admin.unsafe(`do $$ begin if not exists (select from pg_roles where rolname = 'bench_reader') then create role bench_reader; end if; end $$`);
  const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  for (let i = 1; i <= TABLES; i += 100) await sql.unsafe(Array.from({ length: Math.min(100, TABLES - i + 1) }, (_, k) => migrationSql(i + k)).join("\n"));
  await sql.end();

  const [{ server_version_num: serverVersion }] = await admin`select current_setting('server_version_num')::int as server_version_num`;
  let pgDump;
  try {
    const version = Number(/(\d+)\./.exec(execFileSync("pg_dump", ["--version"], { encoding: "utf8" }))?.[1]);
    if (version >= Math.floor(serverVersion / 10000)) pgDump = "pg_dump";
  } catch {}

  const { openConnection } = await import(path.join(ROOT, "dist/db/connect.js"));
  const { openDatabase } = await import(path.join(ROOT, "dist/db/database.js"));
  const scope = { schemas: ["public"], foreign: [], roles: ["", "bench_reader"], extensions: [], extra: { publications: [], publicationTables: [], eventTriggers: [], defaultPrivilegeRoles: [], owners: [] }, journal: "dbkit" };
  const times = { dbkit: [], pgDump: [] };
  let objects = 0;
  for (let run = 0; run < RUNS; run++) {
    // Exactly verify's read of the target: connect, then journal and catalog in one read-only snapshot.
    const started = performance.now();
    const db = openDatabase(await openConnection({ url: url.toString() }), "dbkit", false);
    const { catalog } = await db.catalog.readTarget(scope, { catalog: { objects: [] }, seedTables: [], seedFindings: [] });
    await db.close();
    times.dbkit.push(performance.now() - started);
    objects = catalog.objects.length;
    if (pgDump) {
      const t = performance.now();
      await new Promise((resolve, reject) => spawn(pgDump, ["--schema-only", "-d", url.toString(), "-f", "/dev/null"], { stdio: "inherit" }).on("close", (c) => (c === 0 ? resolve() : reject(new Error(`pg_dump exited ${c}`)))));
      times.pgDump.push(performance.now() - t);
    }
  }
  const lines = [
    `Command: \`npm run bench:catalog\` (${TABLES} tables with columns, index, trigger function and trigger, RLS and 2 policies, grants; ${objects} catalog objects; Postgres ${serverVersion}; median of ${RUNS})`,
    "",
    "| reader | median (ms) | ratio |",
    "|---|---|---|",
    `| dbkit verify's target read (connect + read) | ${median(times.dbkit).toFixed(0)} | ${pgDump ? (median(times.dbkit) / median(times.pgDump)).toFixed(2) + " × pg_dump" : ""} |`,
    pgDump ? `| pg_dump --schema-only | ${median(times.pgDump).toFixed(0)} | 1.00 |` : "| pg_dump --schema-only | n/a: no pg_dump for this server version | |",
  ];
  console.log(lines.join("\n"));
} finally {
  await admin.unsafe(`drop database if exists ${db} with (force)`).catch(() => undefined);
  await admin.end();
  await server?.stop();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
}
