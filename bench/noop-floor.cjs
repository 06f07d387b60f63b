#!/usr/bin/env node
"use strict";
// A plain Node script that does only the work of a no-op run under #19's rule for knowing a file
// has not changed (one stat per file, as git's index does): start Node, load postgres.js, read
// the journal's names and checksums in one query, list the folder, stat every file, and find the
// files the journal lacks. It checks nothing else and has no start-up tricks (dbkit runs from a
// V8 code cache and reads the folder while it connects); bench/sizes.mjs times it beside dbkit
// and dbmate to show how much of a gap to dbmate comes with Node itself.
//   DATABASE_URL=... node bench/noop-floor.cjs <migrations folder>
const { readdirSync, statSync } = require("node:fs");
const path = require("node:path");
const postgres = require("postgres");

const dir = process.argv[2];
const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => undefined });
// Sent first: the folder is read while the connection opens, as dbkit does.
const journal = sql.unsafe("select string_agg(name || ' ' || checksum, E'\\n') as packed from dbkit.migrations");
const names = readdirSync(dir);
let size = 0;
for (const name of names) size += statSync(path.join(dir, name)).size;
journal
  .then(([row]) => {
    const recorded = new Set((row.packed ?? "").split("\n").map((line) => line.slice(0, line.indexOf(" "))));
    const pending = names.filter((name) => !recorded.has(name.slice(0, -".sql".length)));
    if (pending.length > 0 || size === 0) throw new Error(`expected every file applied; ${pending.length} pending`);
    return sql.end();
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
