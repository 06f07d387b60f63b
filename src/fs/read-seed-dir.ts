/** Reading seeds: a first streaming pass checks them and computes checksums; a second runs them. */
import { createHash, type Hash } from "node:crypto";
// Listings are synchronous, like the reads of migrations: node:fs/promises costs a run 1 ms to load.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { KNOWN_DIRECTIVES, parseDirectives } from "../core/directives.js";
import { splitSeedScript, type SeedPart } from "../core/seed-parts.js";
import type { SeedFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";
import { display } from "./read-migration-dir.js";
import { readLines } from "./read-lines.js";
import { readingFs } from "./file-errors.js";

/** A part of a seed with the file it came from (a seed or a file it includes). */
export type LocatedSeedPart = Exclude<SeedPart, { kind: "include" | "meta" }> & { file: string };

/** The project's seeds: the patterns of a Supabase layout, else every `.sql` file of the seeds folder. */
export function readSeeds(settings: { seedsDir: string; seedPatterns: string[] | undefined; cwd: string }): Promise<SeedFile[]> {
  return settings.seedPatterns ? readSeedPatterns(settings.seedPatterns, settings.seedsDir, settings.cwd) : readSeedDir(settings.seedsDir, settings.cwd);
}

/** Reads every `.sql` file of the seeds folder, in name order. A missing folder means no seeds. */
export async function readSeedDir(dir: string, cwd: string): Promise<SeedFile[]> {
  if (!existsSync(dir)) return [];
  const names = readingFs(display(dir, cwd), "folder", () => readdirSync(dir)).filter((name) => name.toLowerCase().endsWith(".sql")).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return readSeedFiles(names.map((name) => path.join(dir, name)), dir, cwd);
}

/**
 * Seeds given as patterns relative to `root` (Supabase's `[db.seed] sql_paths`: `./seed.sql`,
 * `./seeds/*.sql`), in the order given; `*` may stand in the file name. Names are relative to root.
 */
export async function readSeedPatterns(patterns: readonly string[], root: string, cwd: string): Promise<SeedFile[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    const full = path.resolve(root, pattern);
    const base = path.basename(full);
    if (!base.includes("*")) {
      if (existsSync(full) && !files.includes(full)) files.push(full);
      continue;
    }
    const dir = path.dirname(full);
    const matcher = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const names = existsSync(dir) ? readingFs(display(dir, cwd), "folder", () => readdirSync(dir)).filter((name) => matcher.test(name)).sort() : [];
    for (const name of names) if (!files.includes(path.join(dir, name))) files.push(path.join(dir, name));
  }
  return readSeedFiles(files, root, cwd);
}

async function readSeedFiles(files: readonly string[], root: string, cwd: string): Promise<SeedFile[]> {
  const seeds: SeedFile[] = [];
  for (const absolutePath of files) {
    const name = path.relative(root, absolutePath).split(path.sep).join("/");
    const hash = createHash("sha256");
    const header = await checkScript(absolutePath, cwd, hash, []);
    const { directives, problems } = parseDirectives(header);
    const shown = display(absolutePath, cwd);
    if (problems[0]) {
      throw new MigrationFileError("DBKIT_UNKNOWN_DIRECTIVE", `${shown}:${problems[0].line}: unknown directive "${problems[0].text}"`, {
        hint: `known directives: ${KNOWN_DIRECTIVES.join(", ")}`,
        details: { file: shown, line: problems[0].line },
      });
    }
    seeds.push({ kind: "seed", name, version: "0", path: shown, absolutePath, checksum: hash.digest("hex"), directives });
  }
  return seeds;
}

/**
 * Streams a script once: hashes it, refuses unsupported meta-commands, follows includes.
 * Returns the leading comment lines, where directives live.
 */
async function checkScript(file: string, cwd: string, hash: Hash, stack: string[]): Promise<string> {
  const shown = display(file, cwd);
  if (stack.includes(file)) {
    throw new MigrationFileError("DBKIT_INCLUDE_CYCLE", `${shown}: includes itself (${[...stack, file].map((f) => display(f, cwd)).join(" -> ")})`, { hint: "remove the circular \\i" });
  }
  let header = "";
  let inHeader = true;
  const hashed = (async function* () {
    for await (const line of readLines(file, shown)) {
      hash.update(line.newline ? `${line.text}\n` : line.text);
      if (inHeader && (line.text.trim() === "" || line.text.trimStart().startsWith("--"))) header += `${line.text}\n`;
      else inHeader = false;
      yield line;
    }
  })();
  for await (const part of splitSeedScript(hashed)) {
    if (part.kind === "meta") throw metaCommandError(shown, part.line, part.command);
    if (part.kind === "copy") for await (const _ of part.data) void _;
    if (part.kind === "include") {
      const target = includeTarget(file, part.target, shown, part.line);
      hash.update(`\0include ${part.target}\0`);
      await checkScript(target, cwd, hash, [...stack, file]);
    }
  }
  return header;
}

/** The parts of a seed in order, includes expanded; read again from disk, streaming. */
export async function* seedParts(file: string, cwd: string): AsyncGenerator<LocatedSeedPart> {
  const shown = display(file, cwd);
  for await (const part of splitSeedScript(readLines(file, shown))) {
    if (part.kind === "meta") throw metaCommandError(shown, part.line, part.command);
    if (part.kind === "include") yield* seedParts(includeTarget(file, part.target, shown, part.line), cwd);
    else yield { ...part, file: shown };
  }
}

function includeTarget(from: string, target: string, shown: string, line: number): string {
  const resolved = path.resolve(path.dirname(from), target);
  if (!existsSync(resolved)) {
    throw new MigrationFileError("DBKIT_INCLUDE_NOT_FOUND", `${shown}:${line}: included file not found: ${target}`, {
      hint: "\\i and \\ir paths are relative to the seed file's folder",
      details: { file: shown, line },
    });
  }
  return resolved;
}

function metaCommandError(file: string, line: number, command: string): MigrationFileError {
  return new MigrationFileError("DBKIT_PSQL_META_COMMAND", `${file}:${line}: ${command} is a psql meta-command dbkit does not run`, {
    hint: "seeds support COPY ... FROM stdin blocks and \\i / \\ir includes; replace other meta-commands with SQL",
    details: { file, line, command },
  });
}
