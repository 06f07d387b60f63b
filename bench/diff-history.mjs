#!/usr/bin/env node
// The history round trip: for every step of each migration folder, does the diff engine write the
// SQL that turns the state before the step into the state after it? dbkit diff against
// @supabase/pg-delta and @pgkit/migra on the same steps (see bench/diff-history-lib.mjs).
//
//   npm run bench:diff-history                     (the example project and every folder of test/fixtures/corpus)
//   BENCH_FOLDERS=test/fixtures/corpus/drizzle-blog npm run bench:diff-history
//   BENCH_ENGINES=dbkit BENCH_FAILURES=failures.md npm run bench:diff-history
//
// BENCH_DATABASE_URL: a server to use (default: an embedded Postgres 17 started for the run).
// BENCH_POSTGRES=/usr/lib/postgresql/15: start that installation's server instead (its major from its path).
// BENCH_FAILURES: a file to write each failing step to (why, the SQL, the remaining differences).
import { readdirSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { dbkit, installPeers, migra, pgDelta } from "./diff-history-engines.mjs";
import { failureReport, readHistory, roundTrip, share } from "./diff-history-lib.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CORPUS = path.join(ROOT, "test/fixtures/corpus");
const folders = process.env.BENCH_FOLDERS
  ? process.env.BENCH_FOLDERS.split(",").map((folder) => path.resolve(ROOT, folder.trim()))
  : [ROOT, ...readdirSync(CORPUS).sort().map((name) => path.join(CORPUS, name))];
const wanted = (process.env.BENCH_ENGINES ?? "dbkit,pg-delta,migra").split(",").map((name) => name.trim());
const peers = wanted.some((name) => name !== "dbkit") ? installPeers() : undefined;
const engines = [dbkit, ...(peers ? [pgDelta(peers.pgDelta), migra(peers.migra)] : [])].filter((engine) => wanted.includes(engine.name));

let server;
let serverDir;
if (!process.env.BENCH_DATABASE_URL) {
  serverDir = await mkdtemp(path.join(os.tmpdir(), "dbkit-historybench-pg-"));
  await chmod(serverDir, 0o755);
  const { startEmbeddedServer } = await import(path.join(ROOT, "dist/local/embedded-server.js"));
  const { binariesIn } = await import(path.join(ROOT, "dist/local/embedded-binaries.js"));
  const installed = process.env.BENCH_POSTGRES;
  const binaries = installed ? binariesIn(installed, /(\d+)\/?$/.exec(installed)?.[1] ?? "") : undefined;
  server = await startEmbeddedServer({ dir: serverDir, fast: true, ...(binaries ? { binaries } : {}) });
}
const serverUrl = process.env.BENCH_DATABASE_URL ?? server.url();

let version = "";
const results = [];
try {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  [{ version }] = await admin`select current_setting('server_version') as version`.finally(() => admin.end());
  for (const folder of folders) {
    const history = readHistory(folder);
    if (path.resolve(folder) === path.resolve(ROOT)) history.name = "example project";
    process.stderr.write(`${history.name}: ${history.files.length} steps `);
    results.push(await roundTrip(history, serverUrl, engines, { onStep: (step) => process.stderr.write(engines.map((e) => (step.results[e.name].reproduced ? "." : e.name[0])).join("") + " ") }));
    process.stderr.write("\n");
  }
} finally {
  await server?.stop();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
}

const count = (result, name) => result.steps.filter((step) => step.results[name]?.reproduced).length;
const total = results.reduce((sum, result) => sum + result.steps.length, 0);
const settings = ["BENCH_ENGINES", "BENCH_FOLDERS", "BENCH_POSTGRES"].filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`);
console.log(`History round trip on Postgres ${version}: steps reproduced exactly (verify's comparer: zero differences); ${[...settings, "node bench/diff-history.mjs"].join(" ")}\n`);
console.log(`| folder | steps | ${engines.map((e) => e.name).join(" | ")} |`);
console.log(`|---|---|${engines.map(() => "---").join("|")}|`);
for (const result of results) console.log(`| ${result.folder} | ${result.steps.length} | ${engines.map((e) => share(count(result, e.name), result.steps.length)).join(" | ")} |`);
console.log(`| all | ${total} | ${engines.map((e) => share(results.reduce((sum, result) => sum + count(result, e.name), 0), total)).join(" | ")} |`);
console.log("\nCommands per step:");
for (const engine of engines) console.log(`- ${engine.name}: \`${engine.command}\``);
const failingSteps = (name) => results.flatMap((result) => result.steps.filter((step) => !step.results[name]?.reproduced).map((step) => `${result.folder} ${step.step} (${step.file})`));
console.log("\nSteps not reproduced:");
for (const engine of engines) console.log(`- ${engine.name}: ${failingSteps(engine.name).join(", ") || "none"}`);

if (process.env.BENCH_FAILURES) {
  const report = engines.map((engine) => `## ${engine.name}\n\n${results.map((result) => failureReport(result, engine.name)).join("") || "Every step reproduced.\n"}`).join("\n");
  await writeFile(process.env.BENCH_FAILURES, `# History round trip: the steps not reproduced\n\nWritten by \`node bench/diff-history.mjs\` on ${new Date().toISOString()}.\n\n${report}`);
}
