/** A lock file so two dbkit commands never drive one embedded data folder at once. */
import { open, readFile, unlink } from "node:fs/promises";
import { ConnectionError } from "../errors.js";
import { isAlive } from "./process-alive.js";

export interface DirLock {
  release(): Promise<void>;
}

/**
 * Creates `file` exclusively with this process's pid. A lock whose process is gone is stale and
 * taken over; a live one is waited for up to `waitMs`, then reported.
 */
export async function acquireDirLock(file: string, waitMs: number, onWait: (pid: number) => void): Promise<DirLock> {
  const deadline = Date.now() + waitMs;
  let warned = false;
  for (;;) {
    try {
      const handle = await open(file, "wx", 0o644);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => unlink(file).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number((await readFile(file, "utf8").catch(() => "")).trim());
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (!warned) {
      onWait(holder);
      warned = true;
    }
    if (Date.now() > deadline) {
      throw new ConnectionError("DBKIT_EMBEDDED_BUSY", `the embedded database is in use by another dbkit command (pid ${holder})`, {
        hint: `wait for it to finish, or stop it; if no such process exists, delete ${file}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
