/**
 * Reading seeds in one pass: listing them reads only their directives; the pass that runs a seed
 * also checks it and computes its checksum, which the journal records. A checksum asked for
 * before (status, verify, a seed that ran before) costs a pass that only reads and hashes.
 */
import { createHash, type Hash } from "node:crypto";
// Listings are synchronous, like the reads of migrations: node:fs/promises costs a run 1 ms to load.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { KNOWN_DIRECTIVES, parseDirectives } from "../core/directives.js";
import { splitSeedScript, type SeedPart } from "../core/seed-parts.js";
import type { SeedFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";
import { display } from "./read-migration-dir.js";
import { fileSource } from "./seed-source.js";
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
    const shown = display(absolutePath, cwd);
    const { directives, problems } = parseDirectives(headerOf(absolutePath, shown));
    if (problems[0]) {
      throw new MigrationFileError("DBKIT_UNKNOWN_DIRECTIVE", `${shown}:${problems[0].line}: unknown directive "${problems[0].text}"`, {
        hint: `known directives: ${KNOWN_DIRECTIVES.join(", ")}`,
        details: { file: shown, line: problems[0].line },
      });
    }
    let checksum: string | undefined;
    const seed: SeedFile = {
      kind: "seed",
      name,
      version: "0",
      path: shown,
      absolutePath,
      directives,
      get checksum() {
        if (checksum === undefined) {
          const hash = createHash("sha256");
          for (const _ of walk(absolutePath, cwd, hash, [])) void _;
          checksum = hash.digest("hex");
        }
        return checksum;
      },
    };
    recordChecksum.set(seed, (value) => (checksum = value));
    seeds.push(seed);
  }
  return seeds;
}

/** How a run of a seed tells the seed the checksum of what it ran. */
const recordChecksum = new WeakMap<SeedFile, (checksum: string) => void>();

/** The leading comment lines of a file, where directives live. */
function headerOf(file: string, shown: string): string {
  const source = fileSource(file, shown);
  let header = "";
  try {
    for (let line = source.nextLine(); line && (line.text.trim() === "" || line.text.trimStart().startsWith("--")); line = source.nextLine()) header += `${line.text}\n`;
  } finally {
    source.close();
  }
  return header;
}

/**
 * The parts of a seed in order, includes expanded, read in one pass; the checksum of what was
 * read is recorded on the seed when the pass completes.
 */
export function* seedParts(seed: SeedFile, cwd: string): Generator<LocatedSeedPart> {
  const hash = createHash("sha256");
  yield* walk(seed.absolutePath, cwd, hash, []);
  recordChecksum.get(seed)?.(hash.digest("hex"));
}

/** Reads a script once: hashes it, refuses unsupported meta-commands, follows includes. */
function* walk(file: string, cwd: string, hash: Hash, stack: string[]): Generator<LocatedSeedPart> {
  const shown = display(file, cwd);
  if (stack.includes(file)) {
    throw new MigrationFileError("DBKIT_INCLUDE_CYCLE", `${shown}: includes itself (${[...stack, file].map((f) => display(f, cwd)).join(" -> ")})`, { hint: "remove the circular \\i" });
  }
  const source = fileSource(file, shown, hash);
  try {
    for (const part of splitSeedScript(source)) {
      if (part.kind === "meta") {
        // pg_dump 15.18 and later fence its output with \restrict / \unrestrict (psql's restricted
        // mode against meta-commands smuggled in through the dumped data): nothing to run here.
        if (part.command === "\\restrict" || part.command === "\\unrestrict") continue;
        throw metaCommandError(shown, part.line, part.command);
      }
      if (part.kind === "include") {
        const target = includeTarget(file, part.target, shown, part.line);
        hash.update(`\0include ${part.target}\0`);
        yield* walk(target, cwd, hash, [...stack, file]);
      } else yield { ...part, file: shown };
    }
  } finally {
    source.close();
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
