/** Temporary project folders and running the built CLI against them. */
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

export const BIN = fileURLToPath(new URL("../../bin/dbkit.cjs", import.meta.url));

/** Creates a project folder with the given files (path → content) and removes it after the test. */
export async function createProject(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-project-"));
  await chmod(dir, 0o755); // an embedded server started as root runs as another user
  await mkdir(path.join(dir, "migrations"), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment variables that would make a test pick up the developer's own database. */
const CLEARED = ["DATABASE_URL", "POSTGRES_URL", "SUPABASE_DB_URL", "DBKIT_MIGRATIONS_DIR", "DBKIT_SEEDS_DIR", "DBKIT_JOURNAL_SCHEMA", "DBKIT_LOCK_TIMEOUT", "DBKIT_STATEMENT_TIMEOUT", "NO_COLOR"];

/** Starts `dbkit <args>` without waiting, for tests that signal or kill it. */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cliEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
}

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLEARED) delete env[name];
  return Object.assign(env, extra);
}

export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
