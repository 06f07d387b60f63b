/**
 * A lexical scan of SQL text with psql's rules: it finds what is not SQL (psql meta-commands),
 * what never ends (a string, identifier, dollar quote or comment left open), and where each
 * top-level statement ends. Like psql, a semicolon inside parentheses or inside the BEGIN ... END
 * body of a SQL-standard function (`BEGIN ATOMIC`) does not end the statement. It does not parse
 * SQL: no-transaction files are split by the real Postgres parser (src/sql/).
 */
export interface MetaCommand {
  /** 1-based line of the backslash. */
  line: number;
  /** The command word, e.g. `\set`. */
  command: string;
  /** Offset of the backslash in the text. */
  offset: number;
  /** The rest of the line after the command word. */
  argument: string;
}

export type UnterminatedKind = "string" | "quoted identifier" | "dollar quote" | "block comment";

export interface SqlScan {
  metaCommands: MetaCommand[];
  unterminated?: { kind: UnterminatedKind; line: number; delimiter: string };
  /** Offsets of semicolons that end top-level statements. */
  statementEnds: number[];
}

const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** How the server reads string literals. */
export interface SqlDialect {
  /**
   * True when the server has standard_conforming_strings off: then a backslash escapes the next
   * character in every '...' string, not only in E'...' ones, and `'a\'; commit; --'` is a string,
   * a COMMIT and a comment.
   */
  backslashEscapes?: boolean;
}

/** Scans the whole text once. Linear in its length. */
export function scanSql(text: string, dialect: SqlDialect = {}): SqlScan {
  const metaCommands: MetaCommand[] = [];
  const statementEnds: number[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;

  const advanceTo = (end: number) => {
    for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
    i = end;
  };
  const statement = new StatementState();

  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "\n") {
      line++;
      i++;
    } else if (c === "-" && next === "-") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? n : end;
    } else if (c === "/" && next === "*") {
      const startLine = line;
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (text[k] === "/" && text[k + 1] === "*") (depth++, (k += 2));
        else if (text[k] === "*" && text[k + 1] === "/") (depth--, (k += 2));
        else k++;
      }
      if (depth > 0) return { metaCommands, statementEnds, unterminated: { kind: "block comment", line: startLine, delimiter: "/*" } };
      advanceTo(k);
    } else if (c === "'") {
      const escapes = Boolean(dialect.backslashEscapes) || isEscapeStringPrefix(text, i);
      const end = findQuoteEnd(text, i + 1, "'", escapes);
      if (end === -1) return { metaCommands, statementEnds, unterminated: { kind: "string", line, delimiter: "'" } };
      advanceTo(end + 1);
    } else if (c === '"') {
      const end = findQuoteEnd(text, i + 1, '"', false);
      if (end === -1) return { metaCommands, statementEnds, unterminated: { kind: "quoted identifier", line, delimiter: '"' } };
      advanceTo(end + 1);
    } else if (c === "$" && (i === 0 || !isIdentChar(text.charCodeAt(i - 1)))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64));
      if (!tag) {
        i++;
        continue;
      }
      const delimiter = tag[0];
      const end = text.indexOf(delimiter, i + delimiter.length);
      if (end === -1) return { metaCommands, statementEnds, unterminated: { kind: "dollar quote", line, delimiter } };
      advanceTo(end + delimiter.length);
    } else if (c === "\\") {
      const lineEnd = text.indexOf("\n", i);
      const rest = text.slice(i, lineEnd === -1 ? n : lineEnd);
      const word = /^\\[^\s\\]*/.exec(rest)?.[0] ?? "\\";
      metaCommands.push({ line, command: word, offset: i, argument: rest.slice(word.length).trim() });
      i = lineEnd === -1 ? n : lineEnd;
    } else if (c === ";") {
      if (statement.semicolon()) statementEnds.push(i);
      i++;
    } else if (c === "(") {
      statement.parenDepth++;
      i++;
    } else if (c === ")") {
      if (statement.parenDepth > 0) statement.parenDepth--;
      i++;
    } else if (isIdentStart(text.charCodeAt(i)) && (i === 0 || !isIdentChar(text.charCodeAt(i - 1)))) {
      let end = i + 1;
      while (end < n && isIdentChar(text.charCodeAt(end))) end++;
      statement.word(text, i, end);
      i = end;
    } else {
      i++;
    }
  }
  return { metaCommands, statementEnds };
}

/**
 * What psql tracks to find a statement's end: parentheses, and BEGIN ... END blocks (with the
 * CASE ... END inside them) in a statement that starts CREATE [OR REPLACE] FUNCTION|PROCEDURE.
 */
class StatementState {
  parenDepth = 0;
  private beginDepth = 0;
  /** The statement's first words, lower-cased, until it is known whether it creates a routine. */
  private leading: string[] = [];
  private routine: boolean | undefined;

  word(text: string, start: number, end: number): void {
    if (this.routine === undefined) {
      this.leading.push(text.slice(start, end).toLowerCase());
      this.routine = createsRoutine(this.leading);
      return;
    }
    if (!this.routine || this.parenDepth > 0 || end - start < 3 || end - start > 5) return;
    const word = text.slice(start, end).toLowerCase();
    if (word === "begin") this.beginDepth++;
    else if (word === "case" && this.beginDepth > 0) this.beginDepth++;
    else if (word === "end" && this.beginDepth > 0) this.beginDepth--;
  }

  /** Told of a semicolon outside quotes and comments: true when it ends the statement, which then starts over. */
  semicolon(): boolean {
    if (this.parenDepth > 0 || this.beginDepth > 0) return false;
    this.leading = [];
    this.routine = undefined;
    return true;
  }
}

/** CREATE [OR REPLACE] FUNCTION|PROCEDURE: true, false, or undefined while the words so far allow it. */
function createsRoutine([first, second, third, fourth]: string[]): boolean | undefined {
  const routine = (word: string) => word === "function" || word === "procedure";
  if (first !== "create") return false;
  if (second === undefined) return undefined;
  if (routine(second)) return true;
  if (second !== "or") return false;
  if (third === undefined) return undefined;
  if (third !== "replace") return false;
  return fourth === undefined ? undefined : routine(fourth);
}

function isIdentStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}

function isIdentChar(code: number): boolean {
  return isIdentStart(code) || (code >= 48 && code <= 57) || code === 36;
}

/** `E'...'` strings treat backslash as an escape; `e` must not be the end of an identifier. */
function isEscapeStringPrefix(text: string, quoteAt: number): boolean {
  const prefix = text[quoteAt - 1];
  if (prefix !== "E" && prefix !== "e") return false;
  return quoteAt < 2 || !isIdentChar(text.charCodeAt(quoteAt - 2));
}

function findQuoteEnd(text: string, from: number, quote: string, backslashEscapes: boolean): number {
  let k = from;
  while (k < text.length) {
    const ch = text[k];
    if (backslashEscapes && ch === "\\") k += 2;
    else if (ch === quote) {
      if (text[k + 1] === quote) k += 2;
      else return k;
    } else k++;
  }
  return -1;
}

/** How many characters of whitespace and comments a statement's text starts with. */
export function leadingTriviaLength(statement: string): number {
  return /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(statement)?.[0].length ?? 0;
}

/** A top-level statement: where it starts (comments before it left out) and ends (after its `;`), and its trimmed text. */
export interface TopLevelStatement {
  start: number;
  end: number;
  body: string;
}

/** The file's top-level statements, empty ones left out, as scanSql splits them; `unterminated` as scanSql says. */
export function topLevelStatements(text: string): { statements: TopLevelStatement[]; unterminated: boolean } {
  const { statementEnds, unterminated } = scanSql(text);
  const statements: TopLevelStatement[] = [];
  let start = 0;
  for (const end of [...statementEnds, text.length]) {
    const raw = text.slice(start, end);
    const lead = leadingTriviaLength(raw);
    const body = raw.slice(lead).trim();
    if (body !== "") statements.push({ start: start + lead, end: Math.min(end + 1, text.length), body });
    start = end + 1;
  }
  return { statements, unterminated: unterminated !== undefined };
}
