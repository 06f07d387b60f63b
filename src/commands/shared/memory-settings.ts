/**
 * V8 settings for the CLI process while `migrate` applies files (a library user's process is left
 * as it is; a no-op run never gets here). Set because of what a 5000-file apply measured, after
 * the run stopped keeping anything per applied file (its live heap stays at ~15 MB):
 * - The young generation stops growing from the moment the run knows it will apply files. By
 *   default V8 doubles it up to 16 MB per semi-space whenever much survives a collection, and
 *   checking thousands of pending files made it reach the maximum before the first one ran
 *   (32 MB of the peak RSS). Set from the start of the process it cost a no-op run a tenth more
 *   CPU, so it is not.
 * - A full collection every COLLECT_EVERY files applied. Each file's queries and answers are
 *   garbage within milliseconds, yet about a fifth of them survive into the old generation, which
 *   V8 lets grow to three or four times the live heap before collecting it (30 MB more at the
 *   peak). A collection of the ~15 MB live heap takes 10-30 ms: a few per thousand files.
 */
export const COLLECT_EVERY = 1000;

/** What the CLI's migrate does to its own process once it knows it will apply files. */
export async function keepYoungGenerationSmall(): Promise<void> {
  const v8 = await import("node:v8");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
}

/** Returns what to call as each file starts to apply: every COLLECT_EVERY-th call collects garbage. */
export function collectingEvery(count = COLLECT_EVERY): () => Promise<void> {
  let applied = 0;
  let gc: (() => void) | undefined;
  return async () => {
    if (++applied % count !== 0) return;
    if (!gc) {
      const [v8, vm] = await Promise.all([import("node:v8"), import("node:vm")]);
      // Exposed to a fresh context only: this process's global scope gains no `gc`.
      v8.setFlagsFromString("--expose-gc");
      gc = vm.runInNewContext("gc") as () => void;
    }
    gc();
  };
}
