// The diff engines the history round trip compares, each turned into the same shape:
// plan({ fromUrl, toUrl, cwd, supabase }) → { segments: [{ sql, transactional }] } or { error }.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./diff-history-lib.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin/dbkit.cjs");
const firstLines = (text) => text.trim().split("\n").slice(0, 6).join(" | ");

/** `dbkit diff --dry-run` prints the SQL; a part that must run outside a transaction follows a `-- dbkit:no-transaction` line. */
export const dbkit = {
  name: "dbkit",
  command: "dbkit diff --from-url <state k> --to-url <state k+1> --dry-run --allow-drop",
  async plan({ fromUrl, toUrl, cwd }) {
    const result = await run(process.execPath, [BIN, "diff", "--from-url", fromUrl, "--to-url", toUrl, "--dry-run", "--allow-drop"], { cwd });
    if (result.code !== 0) return { error: `exit ${result.code}: ${firstLines(result.stderr || result.stdout)}` };
    const [inTransaction, ...outside] = result.stdout.split(/^--\s*dbkit:no-transaction\s*$/m);
    return { segments: [{ sql: inTransaction, transactional: true }, ...outside.map((sql) => ({ sql, transactional: false }))] };
  },
};

export const PEER_VERSIONS = { "@supabase/pg-delta": "1.0.0-alpha.34", "@pgkit/migra": "0.6.1" };

/**
 * The peers are installed on first use into a cache folder, not as devDependencies: the lock file
 * stays free of their trees (other platforms' `npm ci` must not depend on them), and only the
 * benchmarks need them. `names` picks the peers wanted (bench:sizes needs only migra); an install
 * names the peers already there too, as npm removes from the folder whatever it was not told of.
 */
export function installPeers(names = Object.keys(PEER_VERSIONS)) {
  const prefix = path.join(ROOT, "node_modules/.cache/dbkit-bench/diff-peers");
  const bin = (name) => path.join(prefix, "node_modules/.bin", name);
  const installedVersion = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(prefix, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return undefined;
    }
  };
  const present = Object.keys(PEER_VERSIONS).filter((name) => installedVersion(name) === PEER_VERSIONS[name]);
  if (names.some((name) => !present.includes(name))) {
    const wanted = [...new Set([...present, ...names])].map((name) => `${name}@${PEER_VERSIONS[name]}`);
    // npm's progress on standard error: the benchmarks print their results on standard output.
    const installed = spawnSync("npm", ["install", "--no-save", "--no-package-lock", "--prefix", prefix, ...wanted], { stdio: ["ignore", 2, 2] });
    if (installed.status !== 0) throw new Error(`could not install ${wanted.join(" and ")} from the npm registry for the comparison`);
  }
  return { pgDelta: bin("pgdelta"), migra: bin("migra") };
}

/**
 * pg-delta plans (renames not guessed), then renders the plan as SQL files, one per segment; a
 * segment that must run outside a transaction starts with `-- pg-delta: transaction=false`.
 * Its default (raw) profile on every folder: on the Supabase folders its `supabase` profile left
 * out the storage policies and the API roles' grants, and reproduced fewer steps.
 */
export function pgDelta(bin) {
  return {
    name: "pg-delta",
    command: `pgdelta plan --source <state k> --desired <state k+1> --renames off --out plan.json && pgdelta render --plan plan.json --out step.sql --allow-drops  (@supabase/pg-delta@${PEER_VERSIONS["@supabase/pg-delta"]})`,
    async plan({ fromUrl, toUrl }) {
      const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-pgdelta-"));
      try {
        const planned = await run(bin, ["plan", "--source", fromUrl, "--desired", toUrl, "--renames", "off", "--out", path.join(dir, "plan.json")]);
        if (planned.code !== 0) return { error: `plan exit ${planned.code}: ${firstLines(planned.stderr || planned.stdout)}` };
        const rendered = await run(bin, ["render", "--plan", path.join(dir, "plan.json"), "--out", path.join(dir, "step.sql"), "--allow-drops"]);
        if (rendered.code === 3) return { segments: [] }; // nothing to change
        if (rendered.code !== 0) return { error: `render exit ${rendered.code}: ${firstLines(rendered.stderr || rendered.stdout)}` };
        const files = (await readdir(dir)).filter((name) => /^step(_\d+)?\.sql$/.test(name)).sort((a, b) => (Number(/_(\d+)/.exec(a)?.[1] ?? 0) - Number(/_(\d+)/.exec(b)?.[1] ?? 0)));
        const segments = [];
        for (const name of files) {
          const sql = await readFile(path.join(dir, name), "utf8");
          segments.push({ sql, transactional: !/^--\s*pg-delta:\s*transaction=false/m.test(sql) });
        }
        return { segments };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** migra prints one script; --unsafe lets it write drops, --with-privileges its grants and revokes. */
export function migra(bin) {
  return {
    name: "migra",
    command: `migra run <state k> <state k+1> --unsafe --with-privileges  (@pgkit/migra@${PEER_VERSIONS["@pgkit/migra"]})`,
    async plan({ fromUrl, toUrl }) {
      const result = await run(bin, ["run", fromUrl, toUrl, "--unsafe", "--with-privileges"]);
      if (result.code !== 0) return { error: `exit ${result.code}: ${firstLines(result.stderr || result.stdout)}` };
      return { segments: [{ sql: result.stdout, transactional: true }] };
    },
  };
}
