import type { EventSink } from "./ports.js";

/** The `onWait` callback for a run: says once that another runner holds the migration lock. */
export function waitNotice(events: EventSink): () => void {
  let said = false;
  return () => {
    if (!said) events.info("another dbkit runner holds the migration lock; waiting for it");
    said = true;
  };
}
