/**
 * Every "applied" dbkit prints is durable: its own Postgres (durable settings) is crashed
 * (immediate shutdown: SIGQUIT to the postmaster, unwritten WAL lost, as in a crash) as soon as the
 * first "applied" line appears, restarted, and every name printed as applied must be in the journal.
 */
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";
import { createProject, spawnCli } from "../support/project.js";

async function postmasterPid(dir: string): Promise<number> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === "postmaster.pid") return Number((await readFile(path.join(entry.parentPath, entry.name), "utf8")).split("\n")[0]);
  }
  throw new Error("no postmaster.pid");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a server crash after dbkit printed applied", () => {
  it("loses none of the migrations printed as applied", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 90; i++) {
      const name = `${String(i).padStart(4, "0")}_m${i}`;
      // A no-transaction file every 30 from the 5th: several batches, each ending in a flush, the first one short.
      files[`migrations/${name}.sql`] = i % 30 === 5 ? `-- dbkit:no-transaction\ncreate table t_${i} (id int);\n` : `create table t_${i} (id int);\ninsert into t_${i} select generate_series(1, 200);\n`;
    }
    const dir = await createProject(files);
    const serverDir = await mkdtemp(path.join(os.tmpdir(), "dbkit-crash-pg-"));
    await chmod(serverDir, 0o755);
    onTestFinished(() => rm(serverDir, { recursive: true, force: true }));
    let server = await startEmbeddedServer({ dir: serverDir });
    onTestFinished(() => server.stop());

    const child = spawnCli(["migrate"], { cwd: dir, env: { DATABASE_URL: server.url() } });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => ((stdout += chunk), /^applied \d{4}_/m.test(stdout) && resolve()));
      void exited.then(() => resolve());
    });
    const pid = await postmasterPid(serverDir);
    process.kill(pid, "SIGQUIT");
    while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    // dbkit must end on its own once its server is gone (exit 3), not wait for it (0: it finished first).
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("still running after 60 s"), 60_000))]);
    expect([0, 3], stderr).toContain(code);
    const printed = [...stdout.matchAll(/^applied (\d{4}_m\d+)/gm)].map((m) => m[1]!);
    expect(printed.length).toBeGreaterThan(0);

    await server.stop();
    server = await startEmbeddedServer({ dir: serverDir });
    const sql = postgres(server.url(), { max: 1, onnotice: () => undefined });
    try {
      const [exists] = await sql`select to_regclass('dbkit.migrations') is not null as ok`;
      const recorded = exists?.ok ? new Set((await sql`select name from dbkit.migrations where status = 'applied'`).map((row) => row.name as string)) : new Set<string>();
      for (const name of printed) expect(recorded.has(name), `${name} was printed as applied but is not in the journal after the crash`).toBe(true);
    } finally {
      await sql.end();
    }
  }, 120_000);
});
