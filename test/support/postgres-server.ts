/**
 * The Postgres server integration tests run against, chosen once per run:
 * 1. DBKIT_TEST_DATABASE_URL: a server URL (tests create their own databases on it);
 * 2. testcontainers, when a container runtime answers;
 * 3. the embedded Postgres from npm (fsync off), in a temporary folder.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface TestServer {
  /** URL of the server's `postgres` database, with credentials. */
  url: string;
  kind: "url" | "container" | "embedded";
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const explicit = process.env.DBKIT_TEST_DATABASE_URL;
  if (explicit) return { url: explicit, kind: "url", stop: async () => undefined };
  const container = await startContainer();
  if (container) return container;
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-test-pg-"));
  await chmod(dir, 0o755); // the server may run as another user when tests run as root
  const { startEmbeddedServer } = await import("../../src/local/embedded-server.js");
  const server = await startEmbeddedServer({ dir, fast: true });
  return {
    url: server.url(),
    kind: "embedded",
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startContainer(): Promise<TestServer | undefined> {
  if (process.env.DBKIT_TEST_NO_CONTAINERS) return undefined;
  try {
    const { getContainerRuntimeClient, GenericContainer, Wait } = await import("testcontainers");
    await Promise.race([getContainerRuntimeClient(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 5000))]);
    const container = await new GenericContainer("postgres:17")
      .withEnvironment({ POSTGRES_PASSWORD: "test-password" })
      .withExposedPorts(5432)
      .withCommand(["postgres", "-c", "fsync=off", "-c", "max_connections=300"])
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    const url = `postgres://postgres:test-password@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
    return { url, kind: "container", stop: async () => void (await container.stop()) };
  } catch {
    return undefined;
  }
}
