/** A fresh test database reached through a TCP proxy that a test can cut. */
import { onTestFinished } from "vitest";
import { createTestDatabase, type TestDatabase } from "./databases.js";
import { TcpProxy } from "./tcp-proxy.js";

export interface ProxiedDatabase {
  db: TestDatabase;
  proxy: TcpProxy;
  /** The database's URL through the proxy. */
  url: URL;
}

export async function proxiedTestDatabase(): Promise<ProxiedDatabase> {
  const db = await createTestDatabase();
  const url = new URL(db.url);
  const proxy = await TcpProxy.start(url.hostname, Number(url.port));
  onTestFinished(() => proxy.close());
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return { db, proxy, url };
}
