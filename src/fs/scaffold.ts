/** Writing new project files (init, new). Never overwrites: an existing file is reported as skipped. */
import { existsSync } from "node:fs";
import { appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export interface ScaffoldResult {
  created: string[];
  updated: string[];
  skipped: string[];
}

/** Creates `file` with `content` unless it exists. */
export async function createFile(file: string, content: string, result: ScaffoldResult, cwd: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, content, { flag: "wx" });
    result.created.push(path.relative(cwd, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    result.skipped.push(`${path.relative(cwd, file)} (already there)`);
  }
}

export async function createDir(dir: string, result: ScaffoldResult, cwd: string): Promise<void> {
  if (existsSync(dir)) {
    result.skipped.push(`${path.relative(cwd, dir)}/ (already there)`);
    return;
  }
  await mkdir(dir, { recursive: true });
  result.created.push(`${path.relative(cwd, dir)}/`);
}

/** Appends `line` to a line-based file (.gitignore) unless a line equal to it is there. */
export async function ensureLine(file: string, line: string, result: ScaffoldResult, cwd: string): Promise<void> {
  const existing = existsSync(file) ? await readFile(file, "utf8") : undefined;
  const shown = path.relative(cwd, file);
  if (existing?.split(/\r?\n/).some((l) => l.trim() === line)) {
    result.skipped.push(`${shown} (already has ${line})`);
    return;
  }
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  await appendFile(file, `${separator}${line}\n`);
  (existing === undefined ? result.created : result.updated).push(`${shown} (${line})`);
}

export async function listSqlFiles(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((name) => name.endsWith(".sql")) : [];
}

/** Every entry of `dir` (files and folders), or none when it does not exist. */
export async function listEntries(dir: string): Promise<string[]> {
  return existsSync(dir) ? await readdir(dir) : [];
}
