/** `dbkit resolve <name> --applied|--rolled-back`: clear a failed or running no-transaction migration. */
import { UsageError } from "../errors.js";
import { runResolve } from "../engine/resolve.js";
import { DBKIT_VERSION } from "../version.js";
import type { CommandContext } from "./context.js";
import { openStore } from "./open-store.js";

export async function resolveCommand({ settings, output }: CommandContext, name: string, flags: { applied?: boolean; rolledBack?: boolean }): Promise<number> {
  if (Boolean(flags.applied) === Boolean(flags.rolledBack)) {
    throw new UsageError("DBKIT_USAGE", "resolve needs exactly one of --applied or --rolled-back", {
      hint: "--applied: you finished the migration by hand; --rolled-back: you undid it and it should run again",
    });
  }
  const { store, close } = await openStore(settings, output);
  try {
    const result = await runResolve(store, name, flags.applied ? "applied" : "rolled-back", DBKIT_VERSION);
    output.result("resolve", { ...result }, () =>
      result.resolution === "applied" ? `${result.name} marked as applied` : `${result.name} marked as rolled back: it will run again on the next migrate`,
    );
    return 0;
  } finally {
    await close();
  }
}
