import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN, cliEnv } from "../support/project.js";
import { scenario } from "../support/scenario.js";

/**
 * `dbkit <args> | cat`, through a shell: a real pipe. (The test runner's own stdio is a socket,
 * which Node writes synchronously; a pipe takes 64 KiB at once and Node queues the rest.)
 */
async function throughPipe(dir: string, databaseUrl: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("sh", ["-c", '"$0" "$@" | cat', process.execPath, BIN, ...args], { cwd: dir, env: cliEnv({ DATABASE_URL: databaseUrl }), maxBuffer: 2 ** 26 });
  return stdout;
}

describe("output through a pipe", () => {
  // What Node had queued beyond the pipe's 64 KiB was lost when the process exited.
  it("delivers all of a report longer than a pipe's buffer", async () => {
    const label = "a_migration_with_a_long_descriptive_name_".repeat(4);
    const files: Record<string, string> = {};
    for (let i = 1; i <= 400; i++) files[`migrations/${String(i).padStart(4, "0")}_${label}${i}.sql`] = `select ${i};\n`;
    const s = await scenario(files);
    const report = await throughPipe(s.dir, s.db.url, ["status", "--json"]);
    expect(report.length).toBeGreaterThan(2 * 65536);
    expect((JSON.parse(report) as { entries: unknown[] }).entries).toHaveLength(400);
    const table = await throughPipe(s.dir, s.db.url, ["status"]);
    expect(table.trimEnd().split("\n")).toHaveLength(1 + 400 + 2);
  });

  it("ends quietly with 141 when the reader closes the pipe once the report is written (| head)", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 400; i++) files[`migrations/${String(i).padStart(4, "0")}_${"a_long_name_".repeat(16)}${i}.sql`] = `select ${i};\n`;
    const s = await scenario(files);
    // The exit code of dbkit itself, not of the pipeline's last command.
    const script = '( "$0" "$@" 2>stderr.txt; echo $? > code.txt ) | head -c 10 > /dev/null';
    await promisify(execFile)("sh", ["-c", script, process.execPath, BIN, "status"], { cwd: s.dir, env: cliEnv({ DATABASE_URL: s.db.url }) });
    expect((await readFile(path.join(s.dir, "code.txt"), "utf8")).trim()).toBe("141");
    expect(await readFile(path.join(s.dir, "stderr.txt"), "utf8")).not.toMatch(/error/);
  });
});
