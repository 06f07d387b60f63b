/**
 * `dbkit start`: starts the embedded default database and leaves it running (as `supabase start`
 * does), so an app can use it while dbkit runs, and every dbkit command uses it instead of
 * starting and stopping a server of its own, until `dbkit stop`. Its URL is printed without the
 * password, which stays in .dbkit/password.
 */
import path from "node:path";
import type { Settings } from "../config/load-config.js";
import { UsageError } from "../errors.js";
import { findKeptServer, type KeptServer } from "../local/kept-server.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { defineCommand } from "./shared/command.js";
import type { CommandContext } from "./shared/context.js";
import { noFlags } from "./shared/flags.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import type { Run } from "./shared/run.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("start")
      .description("start the embedded database and keep it running (for your app, and every dbkit command) until `dbkit stop`")
      .addHelpText("after", "\nExamples:\n  $ dbkit start && npm run dev\n  $ dbkit stop\n"),
  bare: {},
  input: noFlags,
  run: startCommand,
});

export type StartReport = ResultDoc<"start", { alreadyRunning: boolean; url: string; port: number; pid: number; passwordFile: string }>;

/** Starts the embedded default server and keeps it running; says so when it already was. */
export async function startWith(settings: Settings, run: Run): Promise<StartReport> {
  if (settings.databaseUrl) {
    throw new UsageError("DBKIT_START_WITH_URL", `a database URL is configured (from ${settings.databaseUrl.source}): there is no embedded database to start`, {
      hint: "dbkit start runs the embedded database in .dbkit/, used when no URL is configured; unset the URL to use it",
    });
  }
  let server: KeptServer | undefined = findKeptServer(settings.stateDir);
  let alreadyRunning = server !== undefined;
  if (!server) {
    const { startEmbeddedServer } = await import("../local/embedded-server.js");
    // Registered before the start: a Ctrl-C while the server starts must still stop it.
    const starting = startEmbeddedServer({ dir: settings.stateDir, onWait: (m) => run.info(m), onNote: (m) => run.info(m) });
    const forget = run.interrupts.add(async () => (await starting.catch(() => undefined))?.stop());
    try {
      const started = await starting;
      // Another `dbkit start` may have won the folder's lock first: then its server is the one.
      alreadyRunning = "kept" in started;
      server = await started.keep().catch(async (error: unknown) => {
        await started.stop();
        throw error;
      });
    } finally {
      forget();
    }
  }
  run.onEvent({ type: "secret", secret: server.password });
  const passwordFile = path.relative(settings.cwd, path.join(settings.stateDir, "password")) || "password";
  return resultDoc("start", { alreadyRunning, url: urlWithoutPassword(server), port: server.port, pid: server.pid, passwordFile }, []);
}

/** Starts the embedded default server and keeps it running after the call (see `stop`). */
export async function start(options: DbkitOptions = {}): Promise<StartReport> {
  return withApiRun(options, (settings, run) => startWith(settings, run));
}

export async function startCommand({ settings, output, run }: CommandContext): Promise<number> {
  const report = await startWith(settings, run);
  output.result(report, () =>
    [
      `${report.alreadyRunning ? "the embedded database is already running" : "started the embedded database"} at`,
      report.url,
      `(password in ${report.passwordFile}; server pid ${report.pid}). Every dbkit command uses it until \`dbkit stop\`.`,
    ].join("\n"),
  );
  return 0;
}

function urlWithoutPassword(server: KeptServer): string {
  return `postgres://${server.user}@${server.host}:${server.port}/postgres`;
}
