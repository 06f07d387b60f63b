/**
 * What an interrupt (Ctrl-C, SIGTERM, an API caller's AbortSignal) of one run must do, and who
 * has the terminal meanwhile. One per run: cli.ts makes the CLI's, each API call its own.
 */
import type { JournalAfterInterrupt } from "../../db/journal-after-interrupt.js";

export class Interrupts {
  private readonly cleanups = new Set<() => Promise<void>>();
  private terminalOwnedByChild = 0;
  private stopServing: (() => void) | undefined;
  /** What the journal held once the interrupted run's connection was closed (see Session.interrupt). */
  journalAfterInterrupt: JournalAfterInterrupt | undefined;

  /** Registers cleanup for an interrupt (a server dbkit started); the returned function unregisters it. */
  add(cleanup: () => Promise<void>): () => void {
    this.cleanups.add(cleanup);
    return () => void this.cleanups.delete(cleanup);
  }

  /** Runs every registered cleanup, each once, failures included. */
  run(): Promise<unknown> {
    const cleanups = [...this.cleanups];
    this.cleanups.clear();
    return Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  }

  /** A program dbkit started (psql) has the terminal: Ctrl-C is its business. Returns the release. */
  childOwnsTerminal(): () => void {
    this.terminalOwnedByChild++;
    let released = false;
    return () => {
      if (!released) this.terminalOwnedByChild--;
      released = true;
    };
  }

  /** True when Ctrl-C should be left to the program that has the terminal. */
  ctrlCBelongsToChild(): boolean {
    return this.terminalOwnedByChild > 0;
  }

  /** Waits until Ctrl-C (`dbkit psql` serving the embedded database without psql). */
  servingUntilInterrupted(): Promise<void> {
    // The timer keeps the process alive: nothing else is pending while the server is only shown.
    const alive = setInterval(() => undefined, 60_000);
    return new Promise((resolve) => {
      this.stopServing = () => {
        clearInterval(alive);
        resolve();
      };
    });
  }

  /** Ends servingUntilInterrupted(); true when something was being served. */
  stopServingOnInterrupt(): boolean {
    const stop = this.stopServing;
    this.stopServing = undefined;
    stop?.();
    return stop !== undefined;
  }
}
