import type { Settings } from "../config/load-config.js";
import type { Resolution } from "../engine/ports.js";
import { runResolve, type ResolveResult } from "../engine/resolve.js";
import { DBKIT_VERSION } from "../version.js";
import { openStore } from "./open-store.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";

export type ResolveReport = ResultDoc<"resolve", ResolveResult>;

/** Records how a failed or interrupted no-transaction migration was settled. */
export async function resolveWith(settings: Settings, base: Reporter, name: string, resolution: Resolution): Promise<ResolveReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { store, close } = await openStore(settings, reporter, { writes: true });
  try {
    return resultDoc("resolve", await runResolve(store, name, resolution, DBKIT_VERSION), warnings);
  } finally {
    await close();
  }
}
