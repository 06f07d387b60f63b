import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it, onTestFinished } from "vitest";
import { findPostgresBinaries } from "../../src/local/embedded-binaries.js";
import { startEmbeddedServer } from "../../src/local/embedded-server.js";

async function serverDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-postmaster-"));
  await chmod(dir, 0o755); // as root the server runs as another user
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("the embedded server runs postgres itself, without pg_ctl's polling", () => {
  it("starts, serves and stops with no pg_ctl at all; stop returns once the server is gone", async () => {
    const dir = await serverDir();
    // pg_ctl start -w / stop -w look every 100 ms: a pg_ctl that cannot run proves it is not used.
    const binaries = { ...findPostgresBinaries(), pgCtl: path.join(dir, "no-pg_ctl-here") };
    const server = await startEmbeddedServer({ dir, fast: true, binaries });
    const sql = postgres(server.url(), { max: 1, onnotice: () => undefined });
    const [row] = await sql`select 1 as one`;
    expect(row?.one).toBe(1);
    await sql.end();
    await server.stop();
    expect(existsSync(path.join(dir, "data", "postmaster.pid"))).toBe(false);
    // The same folder starts again (a clean shutdown, the lock released).
    const again = await startEmbeddedServer({ dir, fast: true, binaries });
    await again.stop();
  });

  it("reports the server's own error when it exits during start-up", async () => {
    const dir = await serverDir();
    const failed = await startEmbeddedServer({ dir, fast: true, settings: ["-c shared_buffers=lots"] }).catch((error: unknown) => error as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/the embedded Postgres did not start: .*shared_buffers/);
    // Nothing left holding the folder: a correct start works.
    const server = await startEmbeddedServer({ dir, fast: true });
    await server.stop();
  });
});
