/** A seed in one transaction: lock, re-check its row, run its parts (SQL and COPY streams), record it. */
import { performance } from "node:perf_hooks";
import type { SeedFile } from "../core/types.js";
import type { ApplyOptions, ApplyOutcome, SeedPartSource } from "../engine/ports.js";
import { insertRow, lockAndReread, sessionSettings } from "./apply-sql.js";
import { copyIn } from "./copy-in.js";
import { retryOnLockTimeout } from "./lock-retry.js";
import { retryWhileRunnerAtWork } from "./runner-at-work.js";
import { seedErrorFor, type SeedPartContext } from "./migration-errors.js";
import type { Session } from "./session.js";

export async function applySeed(session: Session, seed: SeedFile, parts: SeedPartSource, options: ApplyOptions): Promise<ApplyOutcome> {
  return retryOnLockTimeout(session.monitor, session.backendPid, seed.name, options, () => retryWhileRunnerAtWork(session, () => applySeedOnce(session, seed, parts, options), options.onWait));
}

async function applySeedOnce(session: Session, seed: SeedFile, parts: SeedPartSource, options: ApplyOptions): Promise<ApplyOutcome> {
  let current: SeedPartContext = { file: seed.path, kind: "sql", line: 1 };
  try {
    return await session.transaction("isolation level read committed", async (tx) => {
      const recorded = await lockAndReread(session, tx, seed.name, options);
      if (recorded && (seed.directives.seedOnce || recorded.checksum === seed.checksum)) return { kind: "skipped" } as const;
      await tx.unsafe(sessionSettings(options, "local")).simple();
      const started = performance.now();
      for await (const part of parts()) {
        current = part.kind === "sql" ? { file: part.file, kind: "sql", line: part.line, text: part.text } : { file: part.file, kind: "copy", line: part.line };
        if (part.kind === "sql") {
          await session.track(tx.unsafe(part.text).simple());
          continue;
        }
        // COPY ... FROM stdin streams its rows with backpressure: memory stays flat.
        await copyIn(tx, part.statement, part.data);
      }
      const executionMs = Math.round(performance.now() - started);
      await insertRow(session, tx, seed, "applied", executionMs, options.dbkitVersion, null);
      return { kind: "applied", executionMs } as const;
    });
  } catch (error) {
    if (error instanceof Error && "exitCode" in error) throw error;
    throw seedErrorFor(error, current, session.target);
  }
}
