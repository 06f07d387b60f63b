/**
 * `dbkit stop`: stops the embedded database `dbkit start` kept running (a fast shutdown: open
 * sessions are ended, their transactions rolled back) and waits until it has exited. Commands
 * after it start and stop a server of their own again, as without `dbkit start`.
 */
import type { Settings } from "../config/load-config.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { defineCommand } from "./shared/command.js";
import type { CommandContext } from "./shared/context.js";
import { noFlags } from "./shared/flags.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import type { Run } from "./shared/run.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("stop")
      .description("stop the embedded database `dbkit start` kept running")
      .addHelpText("after", "\nExamples:\n  $ dbkit stop\n"),
  bare: {},
  input: noFlags,
  run: stopCommand,
});

export type StopReport = ResultDoc<"stop", { stopped: boolean; pid?: number; port?: number; staleRecordRemoved: boolean }>;

/** Stops the kept embedded server; `stopped: false` when none was running. */
export async function stopWith(settings: Settings, run: Run): Promise<StopReport> {
  const { stopKeptServer } = await import("../local/stop-kept-server.js");
  const outcome = await stopKeptServer(settings.stateDir, { onWait: (m) => run.info(m) });
  if (outcome.state === "stopped") return resultDoc("stop", { stopped: true, pid: outcome.server.pid, port: outcome.server.port, staleRecordRemoved: false }, []);
  return resultDoc("stop", { stopped: false, staleRecordRemoved: outcome.staleRecordRemoved }, []);
}

/** Stops the embedded server `start` kept running. */
export async function stop(options: DbkitOptions = {}): Promise<StopReport> {
  return withApiRun(options, (settings, run) => stopWith(settings, run));
}

export async function stopCommand({ settings, output, run }: CommandContext): Promise<number> {
  const report = await stopWith(settings, run);
  output.result(report, () => {
    if (report.stopped) return `stopped the embedded database (port ${report.port}, pid ${report.pid})`;
    if (report.staleRecordRemoved) return "the embedded database was not running (it had been stopped outside dbkit); its record is removed";
    return "the embedded database is not running (nothing to stop)";
  });
  return 0;
}
