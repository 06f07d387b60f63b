/** The embedded default server a command starts for itself when `dbkit start` keeps none running. */
import type { Settings } from "../../config/load-config.js";
import type { EmbeddedServer } from "../../local/server-handle.js";
import type { Run } from "./run.js";

/** Starts an embedded server for this command alone; the caller stops it (and registers that with the run's interrupts). */
export async function startOwnServer(settings: Settings, run: Run): Promise<EmbeddedServer> {
  const { startEmbeddedServer } = await import("../../local/embedded-server.js");
  // Registered before the start: a Ctrl-C while the server starts must still stop it.
  const starting = startEmbeddedServer({ dir: settings.stateDir, onWait: (message) => run.info(message), onNote: (message) => run.info(message) });
  const forgetStarting = run.interrupts.add(async () => (await starting.catch(() => undefined))?.stop());
  return starting.finally(forgetStarting);
}
