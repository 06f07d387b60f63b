/**
 * A throwaway database to build the expected schema in: on a server given by --shadow-url, or on
 * a scratch embedded Postgres (fsync off) of the target's major in `.dbkit/scratch*`. It gets
 * the target's database settings and the roles the migrations name (BuildContext). The database
 * is dropped after use.
 */
import { scratchDatabasesOn, type OpenedScratch } from "../../db/scratch.js";
import { DbkitError, ExitCode, MigrationFailedError } from "../../errors.js";
import type { Settings } from "../../config/load-config.js";
import type { BuildContext } from "../../core/build-context.js";
import type { Run } from "./run.js";
import type { ScratchServerChoice } from "../../local/scratch-server.js";

export { readServerMajor } from "../../db/scratch.js";

export interface ScratchOptions {
  shadowUrl: string | undefined;
  /** The target's major: the scratch server runs the same one (unless --shadow-url). */
  targetMajor?: number;
  context?: BuildContext;
  /** The embedded target's own server, usable for the scratch database when `exact`. */
  targetServer?: { url: string; exact: boolean };
}

export interface OpenScratch {
  db: OpenedScratch;
  major: number;
  /** Drops the database and stops the scratch server, if any. */
  close(): Promise<void>;
}

/** A server to make scratch databases on (--shadow-url, the embedded target's own, or a scratch embedded one). */
export interface ScratchServer {
  /** A fresh database on the server, given the build context; its close() drops it. */
  create(): Promise<OpenScratch>;
  /** Stops the scratch server, if dbkit started one. */
  close(): Promise<void>;
}

/** Chooses and starts (when needed) the server scratch databases are made on; several can share it. */
export async function openScratchServer(settings: Settings, output: Run, options: ScratchOptions): Promise<ScratchServer> {
  let serverUrl = options.shadowUrl;
  let stopServer: (() => Promise<void>) | undefined;
  // The embedded target's own server, when the scratch database may live beside the target.
  let besideTarget = false;
  if (!serverUrl) {
    const { chooseScratchServer } = await import("../../local/scratch-server.js");
    const choice = await chooseScratchServer(options.targetMajor ?? 0, {
      stateDir: settings.stateDir,
      cacheDir: settings.cacheDir,
      onFetch: (m) => output.info(m),
      ...(options.targetServer ? { targetServer: options.targetServer } : {}),
    });
    besideTarget = choice.url !== undefined;
    serverUrl = choice.url ?? (await startScratchServer(choice, output, (stop) => (stopServer = stop)));
  }
  const url = serverUrl;
  const create = async (): Promise<OpenScratch> => {
    const db = await scratchDatabasesOn(url, {
      journalSchema: settings.journalSchema,
      // Beside the target, from template0: whatever was put into template1 there is not the migrations' doing.
      template: besideTarget ? "template0" : undefined,
      ...(options.context ? { context: options.context } : {}),
      onProblem: (problem) => output.warn(`the scratch build could not be given the target's ${problem}`),
      // Only on the scratch server dbkit started: on a shared one, another build may be using them.
      dropCreatedRoles: !options.shadowUrl && !besideTarget,
    }).create();
    // On a server whose data outlives this run an interrupt must not leave its database behind.
    const forgetDatabase = options.shadowUrl || besideTarget ? output.interrupts.add(() => db.drop()) : () => undefined;
    return {
      db,
      major: db.major,
      close: async () => {
        forgetDatabase();
        await db.drop();
      },
    };
  };
  return { create, close: async () => await stopServer?.() };
}

/** One scratch database on its own server (see openScratchServer); close() drops it and stops the server. */
export async function openScratchStore(settings: Settings, output: Run, options: ScratchOptions): Promise<OpenScratch> {
  const server = await openScratchServer(settings, output, options);
  try {
    const scratch = await server.create();
    return {
      ...scratch,
      close: async () => {
        await scratch.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Starts a scratch embedded server of the chosen major; `onStop` receives how to stop it. Returns its URL. */
async function startScratchServer(choice: ScratchServerChoice, output: Run, onStop: (stop: () => Promise<void>) => void): Promise<string> {
  const { startEmbeddedServer } = await import("../../local/embedded-server.js");
  // Registered before the start: a Ctrl-C while the server starts must still stop it.
  const starting = startEmbeddedServer({
    dir: choice.dir,
    fast: true,
    onWait: (m) => output.info(m),
    onNote: (m) => output.onEvent({ type: "verbose", message: m }),
    ...(choice.binaries ? { binaries: choice.binaries } : {}),
  });
  const forget = output.interrupts.add(async () => (await starting.catch(() => undefined))?.stop());
  const server = await starting.catch((error: unknown) => {
    forget();
    throw error;
  });
  output.onEvent({ type: "secret", secret: server.password });
  onStop(async () => {
    forget();
    await server.stop();
  });
  return server.url();
}

/**
 * A migration that failed in the scratch build failed there, not on the target (which has it
 * applied): the build lacks something the target has that no migration creates. Unless the
 * target has not applied it either (`appliedOnTarget` false): then the migration itself fails.
 */
export function scratchBuildFailed(error: unknown, major: number, shadow: boolean, appliedOnTarget?: boolean): unknown {
  if (!(error instanceof DbkitError) || error.exitCode !== ExitCode.migrationFailed) return error;
  const where = shadow ? `the --shadow-url server (Postgres ${major})` : `a scratch Postgres ${major}`;
  if (appliedOnTarget === false) {
    return new MigrationFailedError("DBKIT_SCRATCH_BUILD_FAILED", `the scratch build of the expected schema failed, on ${where}, at a migration the target has not applied either: ${error.message}`, {
      hint: "the migration fails on a fresh database too: fix it, run dbkit migrate, then verify again",
      cause: error,
      details: { ...error.details, scratchMajor: major, appliedOnTarget },
    });
  }
  return new MigrationFailedError("DBKIT_SCRATCH_BUILD_FAILED", `the scratch build of the expected schema failed, on ${where}, not on the target: ${error.message}`, {
    hint:
      "verify builds the migrations on an empty database given the target's database settings and the roles the migrations name; " +
      "it lacks something else the target has but no migration creates (an extension, a schema, a role membership): create it in a migration, " +
      "or build on a server that has it with --shadow-url <url>",
    cause: error,
    details: { ...error.details, scratchMajor: major },
  });
}
