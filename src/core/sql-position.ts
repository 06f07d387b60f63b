/** A place in a SQL file, 1-based, columns counted in characters (code points). */
export interface SqlLocation {
  line: number;
  column: number;
}

/**
 * Converts a Postgres error position (1-based, counted in characters of the query text) to
 * line and column. The text must be the one that was sent (BOM stripped, line endings
 * normalised), which has the same lines as the file.
 */
export function locationOfPosition(text: string, position: number): SqlLocation {
  let line = 1;
  let column = 1;
  let count = 1;
  for (const ch of text) {
    if (count >= position) break;
    if (ch === "\n") {
      line++;
      column = 1;
    } else column++;
    count++;
  }
  return { line, column };
}

/** Converts a UTF-16 string offset (as JavaScript indexes) to line and column. */
export function locationOfOffset(text: string, offset: number): SqlLocation {
  return locationOfPosition(text, [...text.slice(0, offset)].length + 1);
}

/**
 * A few lines of SQL around `location` with a caret under the column, each line prefixed with
 * its number (counted from `firstLine` when the text starts later in a file): the excerpt shown
 * under a failing migration.
 */
export function excerptAt(text: string, location: SqlLocation, context = 2, firstLine = 1): string {
  const lines = text.split("\n");
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line + context);
  const width = String(last + firstLine - 1).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const content = (lines[n - 1] ?? "").replace(/\t/g, "  ");
    out.push(`${String(n + firstLine - 1).padStart(width)} | ${content}`);
    if (n === location.line) {
      const before = [...(lines[n - 1] ?? "")].slice(0, location.column - 1).join("").replace(/\t/g, "  ");
      out.push(`${" ".repeat(width)} | ${" ".repeat([...before].length)}^`);
    }
  }
  return out.join("\n");
}
