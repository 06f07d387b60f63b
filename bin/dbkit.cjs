#!/usr/bin/env node
"use strict";
// Launcher: runs the bundled CLI (dist/bundle/cli.cjs, built on install by `prepare`).
//
// Node 20 compiles the 600 kB bundle from source on every run, which costs a no-op `dbkit migrate`
// about a fifth of its time. So the launcher compiles the bundle through V8's code cache itself:
// after the first run of each command it saves the compiled code (including the functions that
// command compiled while it ran) next to the bundle, and later runs of that command load it. V8
// rejects a cache made by another V8 version or with other flags; a rejected or missing cache is
// rewritten when the process exits. The cache lives inside the package, never in a shared
// directory such as /tmp, because loading it means running its code. It is an optimisation only:
// any failure to read or write it falls back to a plain compile. DBKIT_NO_COMPILE_CACHE=1 turns it off.
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { createRequire, wrap } = require("node:module");

const bundle = path.join(__dirname, "../dist/bundle/cli.cjs");
let source;
try {
  // Read as latin1: the bundle is ASCII (scripts/bundle.mjs checks it), and a one-byte read skips
  // UTF-8 decoding of a megabyte on every run.
  source = fs.readFileSync(bundle, "latin1");
} catch (error) {
  if (error.code !== "ENOENT") throw error;
  process.stderr.write("dbkit: the CLI is not built; run `npm run build` (or `npm ci`, which builds it)\n");
  process.exit(1);
}

const cacheFile = process.env.DBKIT_NO_COMPILE_CACHE === "1" ? undefined : codeCachePath();
let cachedData;
try {
  if (cacheFile) cachedData = fs.readFileSync(cacheFile);
} catch {
  // No cache yet: this run compiles from source and writes one.
}
const script = new vm.Script(wrap(source), { filename: bundle, cachedData });
if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) process.once("exit", () => writeCodeCache(script, cacheFile));

const cli = { exports: {} };
script.runInThisContext().call(cli.exports, cli.exports, createRequire(bundle), cli, bundle, path.dirname(bundle));
cli.exports.main(process.argv);

/** One cache per command, Node version and build of the bundle: a rebuild (or a new Node) starts afresh. */
function codeCachePath() {
  try {
    const { size, mtimeMs } = fs.statSync(bundle);
    const command = process.argv.slice(2).find((arg) => /^[a-z][a-z-]{0,30}$/.test(arg)) ?? "none";
    return path.join(path.dirname(bundle), "code-cache", `${command}-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.bin`);
  } catch {
    return undefined;
  }
}

function writeCodeCache(compiled, file) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside, then renamed: a concurrent run never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, compiled.createCachedData());
    fs.renameSync(partial, file);
  } catch {
    // A read-only install just runs without a cache.
  }
}
