/**
 * A throwaway database to build the expected schema in: on a server given by --shadow-url, or on
 * a scratch embedded Postgres (fsync off) in `.dbkit/scratch`. The database is dropped after use.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseConnectionUrl } from "../core/connection-url.js";
import { openConnection } from "../db/connect.js";
import { PostgresStore } from "../db/postgres-store.js";
import type { Settings } from "../config/load-config.js";
import type { Reporter } from "./reporter.js";
import { addInterruptCleanup, type OpenStore } from "./open-store.js";

export async function openScratchStore(settings: Settings, output: Reporter, shadowUrl: string | undefined): Promise<OpenStore> {
  let serverUrl = shadowUrl;
  let stopServer: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const { startEmbeddedServer } = await import("../local/embedded-server.js");
    // Registered before the start: a Ctrl-C while the server starts must still stop it.
    const starting = startEmbeddedServer({ dir: path.join(settings.stateDir, "scratch"), fast: true, onWait: (m) => output.info(m), onNote: (m) => output.verbose(m) });
    const forget = addInterruptCleanup(async () => (await starting.catch(() => undefined))?.stop());
    const server = await starting.catch((error: unknown) => {
      forget();
      throw error;
    });
    output.addSecret(server.password);
    serverUrl = server.url();
    stopServer = async () => {
      forget();
      await server.stop();
    };
  }
  const name = `dbkit_shadow_${randomBytes(6).toString("hex")}`;
  const admin = await openConnection({ url: serverUrl, applicationName: "dbkit-shadow" });
  try {
    await admin.sql.unsafe(`create database ${name}`);
    // On a --shadow-url server an interrupted verify must not leave its database behind.
    const forgetDatabase = shadowUrl ? addInterruptCleanup(() => admin.sql.unsafe(`drop database if exists ${name} with (force)`).then(() => undefined, () => undefined)) : () => undefined;
    const connection = await openConnection({ url: withDatabase(serverUrl, name), applicationName: "dbkit-shadow" });
    const store = new PostgresStore(connection, settings.journalSchema, true);
    return {
      store,
      close: async () => {
        forgetDatabase();
        await store.close();
        await admin.sql.unsafe(`drop database if exists ${name} with (force)`).catch(() => undefined);
        await admin.sql.end({ timeout: 5 });
        await stopServer?.();
      },
    };
  } catch (error) {
    await admin.sql.end({ timeout: 1 });
    await stopServer?.();
    throw error;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = parseConnectionUrl(url);
  if (!parsed.ok) return url;
  const { user, password, host, port, params } = parsed.url;
  const query = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  const auth = user ? `${encodeURIComponent(user)}${password === undefined ? "" : `:${encodeURIComponent(password)}`}@` : "";
  return `postgres://${auth}${host.includes(":") ? `[${host}]` : host}:${port}/${database}${query ? `?${query}` : ""}`;
}
