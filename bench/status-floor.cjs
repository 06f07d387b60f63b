#!/usr/bin/env node
"use strict";
// A plain Node script that does only the work of a `status` run on an up-to-date database, under
// #19's rule for knowing a file has not changed (one stat per file): start Node, load
// postgres.js, read every applied migration's name, time and duration in one query, list the
// folder, stat every file, and print a line per migration and a summary, as dbmate status does.
// It checks nothing else and has no start-up tricks (dbkit runs from a V8 code cache and reads
// the folder while it connects); bench/sizes.mjs times it beside dbkit and dbmate to show how much
// of a gap to dbmate comes with Node itself. The no-op's counterpart is bench/noop-floor.cjs.
//   DATABASE_URL=... node bench/status-floor.cjs <migrations folder>
const { readdirSync, statSync } = require("node:fs");
const path = require("node:path");
const postgres = require("postgres");

const dir = process.argv[2];
const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => undefined });
// Sent first: the folder is read while the connection opens, as dbkit does.
const journal = sql.unsafe(
  "select string_agg(concat_ws(' ', name, trunc(extract(epoch from applied_at) * 1000)::int8, execution_ms), E'\\n' order by name) as packed from dbkit.migrations",
);
const names = readdirSync(dir);
let size = 0;
for (const name of names) size += statSync(path.join(dir, name)).size;
journal
  .then(([row]) => {
    const lines = [];
    for (const line of (row.packed ?? "").split("\n")) {
      const [name, at, ms] = line.split(" ");
      lines.push(`${name}  applied  ${new Date(Number(at)).toISOString()}  ${ms} ms`);
    }
    if (lines.length !== names.length || size === 0) throw new Error(`expected every file applied; ${names.length - lines.length} pending`);
    process.stdout.write(`${lines.join("\n")}\n\n${lines.length} applied, 0 pending\n`);
    return sql.end();
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
