/**
 * node-pg-migrate's SQL migrations: `-- Up Migration` then `-- Down Migration` (its template), told
 * by its own rule (a comment line `--`, dashes or spaces, `up`/`down`, `migration`, any case). Only
 * the up section is the migration; the down section is its down. node-pg-migrate runs neither the
 * text before the up marker; both texts keep the file's line numbers.
 */

const UP = /^\s*--[\s-]*up\s+migration/im;
const DOWN = /^\s*--[\s-]*down\s+migration/im;

/** Whether `text` has both of node-pg-migrate's markers, the up one first (one alone may be a comment). */
export function isNodePgMigrateText(text: string): boolean {
  // A substring search first: every file of a dbkit folder is asked, and most have no marker.
  if (!/igration/i.test(text)) return false;
  const up = text.search(UP);
  const down = text.search(DOWN);
  return up >= 0 && down > up;
}

export interface NodePgMigrateSections {
  up: string;
  /** Undefined when the down section holds only comments and blank lines. */
  down?: string;
}

/** The sections of a file isNodePgMigrateText accepts; what is not run is blanked, keeping positions. */
export function splitNodePgMigrateSections(text: string): NodePgMigrateSections {
  const up = text.search(UP);
  const down = text.search(DOWN);
  const blank = (part: string) => part.replace(/[^\n]/g, " ");
  const sections: NodePgMigrateSections = { up: blank(text.slice(0, up)) + text.slice(up, down) };
  const downText = text.slice(down);
  if (downText.split("\n").slice(1).some((line) => line.trim() !== "" && !line.trim().startsWith("--"))) sections.down = text.slice(0, down).replace(/[^\n]/g, "") + downText;
  return sections;
}
