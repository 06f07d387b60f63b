/** Debian's Postgres 15 beside the embedded 17: tests that need it skip where it is not installed. */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { binariesIn } from "../../src/local/embedded-binaries.js";
import { startEmbeddedServer, type EmbeddedServer } from "../../src/local/embedded-server.js";

export const PG15 = "/usr/lib/postgresql/15";
export const hasPg15 = existsSync(path.join(PG15, "bin", "postgres"));

/** A Postgres 15 server for this test, in a folder of its own; stopped and removed when the test ends. */
export async function startPg15(name: string): Promise<EmbeddedServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `dbkit-${name}-pg15-`));
  await chmod(dir, 0o755); // as root the server runs as another user
  const server = await startEmbeddedServer({ dir, fast: true, binaries: binariesIn(PG15, "15") });
  onTestFinished(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return server;
}
