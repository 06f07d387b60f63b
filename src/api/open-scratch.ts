/**
 * A throwaway database to build the expected schema in: on a server given by --shadow-url, or on
 * a scratch embedded Postgres (fsync off) of the target's major in `.dbkit/scratch*`. It gets
 * the target's database settings and the roles the migrations name (BuildContext). The database
 * is dropped after use.
 */
import { randomBytes } from "node:crypto";
import { parseConnectionUrl } from "../core/connection-url.js";
import { openConnection } from "../db/connect.js";
import { PostgresStore } from "../db/postgres-store.js";
import { DbkitError, ExitCode, MigrationFailedError } from "../errors.js";
import type { Settings } from "../config/load-config.js";
import type { BuildContext } from "../core/build-context.js";
import { giveBuildContext, readMajor } from "../db/build-context.js";
import type { Reporter } from "./reporter.js";
import { addInterruptCleanup, type OpenStore } from "./open-store.js";

export interface ScratchOptions {
  shadowUrl: string | undefined;
  /** The target's major: the scratch server runs the same one (unless --shadow-url). */
  targetMajor?: number;
  context?: BuildContext;
}

export async function openScratchStore(settings: Settings, output: Reporter, options: ScratchOptions): Promise<OpenStore & { major: number }> {
  let serverUrl = options.shadowUrl;
  let stopServer: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const { startEmbeddedServer } = await import("../local/embedded-server.js");
    const { chooseScratchServer } = await import("../local/scratch-server.js");
    const choice = await chooseScratchServer(options.targetMajor ?? 0, { stateDir: settings.stateDir, cacheDir: settings.cacheDir, onFetch: (m) => output.info(m) });
    // Registered before the start: a Ctrl-C while the server starts must still stop it.
    const starting = startEmbeddedServer({
      dir: choice.dir,
      fast: true,
      onWait: (m) => output.info(m),
      onNote: (m) => output.verbose(m),
      ...(choice.binaries ? { binaries: choice.binaries } : {}),
    });
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
    const major = await readMajor(admin.sql);
    await admin.sql.unsafe(`create database ${name}`);
    // On a --shadow-url server an interrupted verify must not leave its database behind.
    const forgetDatabase = options.shadowUrl ? addInterruptCleanup(() => admin.sql.unsafe(`drop database if exists ${name} with (force)`).then(() => undefined, () => undefined)) : () => undefined;
    const problems = options.context ? await giveBuildContext(admin.sql, name, options.context) : [];
    for (const problem of problems) output.warn(`the scratch build could not be given the target's ${problem}`);
    const connection = await openConnection({ url: withDatabase(serverUrl, name), applicationName: "dbkit-shadow" });
    const store = new PostgresStore(connection, settings.journalSchema, true);
    return {
      store,
      major,
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

/** The major of a --shadow-url server, read before the cache is looked up (the cache is per major). */
export async function readServerMajor(url: string): Promise<number> {
  const connection = await openConnection({ url, applicationName: "dbkit-shadow" });
  try {
    return await readMajor(connection.sql);
  } finally {
    await connection.sql.end({ timeout: 5 });
  }
}

/**
 * A migration that failed in the scratch build failed there, not on the target (which has it
 * applied): the build lacks something the target has that no migration creates.
 */
export function scratchBuildFailed(error: unknown, major: number, shadow: boolean): unknown {
  if (!(error instanceof DbkitError) || error.exitCode !== ExitCode.migrationFailed) return error;
  const where = shadow ? `the --shadow-url server (Postgres ${major})` : `a scratch Postgres ${major}`;
  return new MigrationFailedError("DBKIT_SCRATCH_BUILD_FAILED", `the scratch build of the expected schema failed, on ${where}, not on the target: ${error.message}`, {
    hint:
      "verify builds the migrations on an empty database given the target's database settings and the roles the migrations name; " +
      "it lacks something else the target has but no migration creates (an extension, a schema, a role membership): create it in a migration, " +
      "or build on a server that has it with --shadow-url <url>",
    cause: error,
    details: { ...error.details, scratchMajor: major },
  });
}
