/** Directives a file declares in its leading comment lines (`-- dbkit:...`). */
export interface Directives {
  /** `-- dbkit:no-transaction`: run statement by statement, outside a transaction. */
  noTransaction: boolean;
  /** `-- dbkit:seed once`: a seed that never runs again after its first success. */
  seedOnce: boolean;
}

export interface DirectiveProblem {
  line: number;
  text: string;
}

const KNOWN: Record<string, (d: Directives) => void> = {
  "no-transaction": (d) => (d.noTransaction = true),
  "seed once": (d) => (d.seedOnce = true),
};

/**
 * Reads directives from the comment lines at the top of a file (blank lines allowed between
 * them). An unknown `dbkit:` directive is a problem, not silence: a typo must not change how a
 * migration runs without anyone noticing.
 */
export function parseDirectives(text: string): { directives: Directives; problems: DirectiveProblem[] } {
  const directives: Directives = { noTransaction: false, seedOnce: false };
  const problems: DirectiveProblem[] = [];
  // Only the leading comment block is read: splitting the whole file would cost more than the
  // rest of a no-op run's per-file work.
  let start = 0;
  for (let index = 0; start <= text.length; index++) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    start = end === -1 ? text.length + 1 : end + 1;
    if (line === "") continue;
    if (!line.startsWith("--")) break;
    const match = /^--\s*dbkit:\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const name = match[1]!.replace(/\s+/g, " ").toLowerCase();
    const apply = KNOWN[name];
    if (apply) apply(directives);
    // `-- dbkit:allow <code> <reason>` belongs to lint, before the statement it allows.
    else if (name.startsWith("allow ")) continue;
    // `-- dbkit: drops data: ...` is the note dbkit diff writes above a statement that loses data.
    else if (name.startsWith("drops data")) continue;
    else problems.push({ line: index + 1, text: line });
  }
  return { directives, problems };
}

/** The names `parseDirectives` accepts, for error messages. */
export const KNOWN_DIRECTIVES = Object.keys(KNOWN).map((name) => `-- dbkit:${name}`);
