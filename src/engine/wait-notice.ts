import type { OnEvent } from "./events.js";

/** The `onWait` callback for a run: says once that another runner holds the migration lock. */
export function waitNotice(onEvent: OnEvent): () => void {
  let said = false;
  return () => {
    if (!said) onEvent({ type: "info", message: "another dbkit runner holds the migration lock; waiting for it" });
    said = true;
  };
}
