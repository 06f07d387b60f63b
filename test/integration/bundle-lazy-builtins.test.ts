/**
 * The bundle gives some Node built-ins a stand-in that loads them on first use (scripts/bundle.mjs):
 * node:crypto and node:perf_hooks must not be loaded before a run connects, and must work once used.
 * Node lists the built-ins a process loaded in process.moduleLoadList; a preloaded script writes it out.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createTestDatabase } from "../support/databases.js";
import { createProject, runCli } from "../support/project.js";

async function builtinsLoadedBy(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; builtins: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-builtins-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const hook = path.join(dir, "hook.cjs");
  const out = path.join(dir, "loaded.json");
  await writeFile(hook, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`);
  const result = await runCli(args, { cwd, env: { ...env, NODE_OPTIONS: `--require ${hook}` } });
  const list = JSON.parse(await readFile(out, "utf8")) as string[];
  return { code: result.code, builtins: list.filter((entry) => entry.startsWith("NativeModule ")).map((entry) => entry.slice("NativeModule ".length)) };
}

describe("built-ins loaded on first use", () => {
  it("are not loaded by loading a command that connects, which loads the driver", async () => {
    const dir = await createProject({});
    const { code, builtins } = await builtinsLoadedBy(["status", "--help"], dir);
    expect(code).toBe(0);
    // The driver's own imports were evaluated (it loads node:net at once)...
    expect(builtins).toContain("net");
    // ...but not these.
    expect(builtins).not.toContain("crypto");
    expect(builtins).not.toContain("perf_hooks");
    expect(builtins).not.toContain("tls");
  });

  it("are loaded and work when a run hashes, authenticates and times", async () => {
    const db = await createTestDatabase();
    // A seed is timed with node:perf_hooks.
    const dir = await createProject({ "migrations/0001_a.sql": "create table a (id int);\n", "seeds/a.sql": "insert into a values (1);\n" });
    const { code, builtins } = await builtinsLoadedBy(["migrate"], dir, { DATABASE_URL: db.url });
    expect(code).toBe(0);
    expect(builtins).toContain("crypto");
    expect(builtins).toContain("perf_hooks");
    expect(await db.sql`select name, kind, execution_ms >= 0 as timed from dbkit.migrations order by kind, name`).toEqual([
      { name: "0001_a", kind: "migration", timed: true },
      { name: "a.sql", kind: "seed", timed: true },
    ]);
  });
});
