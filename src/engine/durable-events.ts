/**
 * "applied X" is said only once X is durable. Files of a batch commit without waiting for the
 * WAL flush (synchronous_commit = off) except the batch's last, whose flush makes every earlier
 * commit durable too; a server crash before it loses the files committed since the last flush.
 * So the outcomes of those files are held back here and said together after the next
 * synchronous commit (the batch's last, or a no-transaction file's).
 */
import type { DbkitEvent, OnEvent } from "./events.js";

export interface DurableEvents {
  /** Where to send outcomes: applied and skipped wait for flush(); other events pass. */
  readonly onEvent: OnEvent;
  /** Sends what was held back, in order: call after a synchronous commit. */
  flush(): void;
}

export function durableEvents(onEvent: OnEvent): DurableEvents {
  const held: DbkitEvent[] = [];
  return {
    onEvent: (event) => (event.type === "applied" || event.type === "skipped" ? held.push(event) : onEvent(event)),
    flush: () => {
      for (const event of held.splice(0)) onEvent(event);
    },
  };
}
