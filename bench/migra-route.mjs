// The yardstick of cold verify (#19): proving a live database matches the migrations without
// dbkit. Every migration file concatenated in name order, run by `psql -1 -f` into a fresh scratch
// database of the same server, then `migra <live> <scratch>`, whose empty output is the proof;
// the scratch database is dropped at the end. One shell script, timed as a whole by bench:sizes.
// Plain `cat`, as a user would: each file must end its last statement with ";" and a newline (the
// benchmark's files do), or it runs into the next file's first statement.
import { writeFile } from "node:fs/promises";
import path from "node:path";

/** Exit code of the route when migra prints a difference (the proof failed); psql exits 3 for a failed script. */
export const DIFFERENT = 10;

/**
 * The route as run, its commands in order (for the benchmark's notes). `--exclude-schema dbkit`:
 * the live database holds dbkit's journal, which the migrations do not create.
 */
export const ROUTE_STEPS = [
  "cat migrations/*.sql > all.sql",
  "psql -c 'create database <scratch>' <server>",
  "psql -1 -v ON_ERROR_STOP=1 -f all.sql <scratch>",
  "migra <live> <scratch> --unsafe --with-privileges --exclude-schema dbkit (no output but blank lines expected)",
  "psql -c 'drop database <scratch> with (force)' <server>",
];

/**
 * Writes the route's script into `dir` (with the file it concatenates into and the file migra's
 * output goes to); returns the script's path, to run with `sh`. `migrationsDir` holds the `*.sql`
 * files; `serverUrl` is a database of the server to create the scratch database on; `liveUrl` the
 * database to prove; `scratch` the scratch database's name.
 */
export async function writeMigraRoute(dir, { psql, migra, migrationsDir, serverUrl, liveUrl, scratch }) {
  if (!/^[a-z_][a-z0-9_]*$/.test(scratch)) throw new Error(`not a plain database name: ${scratch}`);
  const scratchUrl = new URL(serverUrl);
  scratchUrl.pathname = `/${scratch}`;
  const quote = (text) => `'${String(text).replaceAll("'", `'\\''`)}'`;
  const script = path.join(dir, "migra-route.sh");
  await writeFile(
    script,
    `set -e
PSQL=${quote(psql)}
MIGRA=${quote(migra)}
SERVER=${quote(serverUrl)}
LIVE=${quote(liveUrl)}
SCRATCH=${quote(scratchUrl.toString())}
ALL=${quote(path.join(dir, "all.sql"))}
OUT=${quote(path.join(dir, "migra-output.sql"))}
cat ${quote(migrationsDir)}/*.sql > "$ALL"
"$PSQL" -X -q -v ON_ERROR_STOP=1 -c "create database ${scratch}" "$SERVER"
drop() { "$PSQL" -X -q -c "drop database if exists ${scratch} with (force)" "$SERVER"; }
trap drop EXIT
"$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -f "$ALL" "$SCRATCH"
"$MIGRA" "$LIVE" "$SCRATCH" --unsafe --with-privileges --exclude-schema dbkit > "$OUT"
if grep -q "[^[:space:]]" "$OUT"; then
  echo "migra found differences between the live database and the migrations:" >&2
  head -c 800 "$OUT" >&2
  exit ${DIFFERENT}
fi
`,
  );
  return script;
}
