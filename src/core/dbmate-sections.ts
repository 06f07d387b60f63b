/**
 * dbmate's one-file migrations: `-- migrate:up` then `-- migrate:down`, each marker optionally
 * followed by `transaction:false`. Only the up section is a migration; the down section is kept
 * as its down. Both texts keep the file's line numbers, so errors point at the file's lines.
 */

export interface DbmateSections {
  up: { text: string; noTransaction: boolean };
  /** Undefined when the down section is absent or holds only comments and blank lines. */
  down?: { text: string; noTransaction: boolean; line: number };
}

export type DbmateParse = { ok: true; sections: DbmateSections } | { ok: false; problem: string; line: number };

const MARKER = /^--\s*migrate:(up|down)\b(.*)$/gm;

export function splitDbmateSections(text: string): DbmateParse {
  const markers = [...text.matchAll(MARKER)].map((match) => ({
    kind: match[1] as "up" | "down",
    options: match[2]!,
    start: match.index,
    end: match.index + match[0].length,
    line: lineAt(text, match.index),
  }));
  const up = markers.find((marker) => marker.kind === "up");
  if (!up) return { ok: false, problem: "no `-- migrate:up` line: dbmate migrations start with one", line: 1 };
  const extra = markers.filter((marker) => marker !== up && marker.kind === "up")[0] ?? markers.filter((marker) => marker.kind === "down")[1];
  if (extra) return { ok: false, problem: `a second \`-- migrate:${extra.kind}\` line`, line: extra.line };
  const down = markers.find((marker) => marker.kind === "down");
  if (down && down.start < up.start) return { ok: false, problem: "`-- migrate:down` comes before `-- migrate:up`", line: down.line };
  const sections: DbmateSections = { up: { text: down ? text.slice(0, down.start) : text, noTransaction: noTransaction(up.options) } };
  if (down) {
    // Everything before the down section becomes blank lines: positions stay the file's.
    const downText = text.slice(0, down.end).replace(/[^\n]/g, "") + text.slice(down.end);
    if (hasSql(text.slice(down.end))) sections.down = { text: downText, noTransaction: noTransaction(down.options), line: down.line };
  }
  return { ok: true, sections };
}

function noTransaction(options: string): boolean {
  return /\btransaction:false\b/.test(options);
}

/** Anything but blank lines and `--` comments. */
function hasSql(section: string): boolean {
  return section.split("\n").some((line) => {
    const trimmed = line.trim();
    return trimmed !== "" && !trimmed.startsWith("--");
  });
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
