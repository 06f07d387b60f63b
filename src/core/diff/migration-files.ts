/**
 * The migration files `dbkit diff` writes from a plan, and its one-line summary of each change.
 * Pure. Statements that must run outside a transaction (CREATE INDEX CONCURRENTLY, VALIDATE after
 * NOT VALID) go to a second file that starts with `-- dbkit:no-transaction`, applied after the first.
 */
import type { DiffStatement, Hazard, Unsupported } from "./types.js";

export interface PlannedFile {
  /** The part of the file name after the version: `add_invoices`, `add_invoices_concurrently`. */
  name: string;
  text: string;
  noTransaction: boolean;
  statements: DiffStatement[];
}

export interface FileOptions {
  /** What the user called the change (`add invoices`). */
  title: string;
  /** The file-name form of the title (`add_invoices`). */
  name: string;
  /** Where the change goes from and to, for the header: `the migrations → schema/`. */
  source: string;
  /** Written as comments at the top (--allow-incomplete): changes dbkit could not write. */
  unsupported?: readonly Unsupported[];
}

/** Hazards that lose data: each such statement gets a `-- dbkit: drops data:` line above it. */
const LOSES_DATA: readonly Hazard[] = ["drops-data", "narrows-type"];

/** The files for `statements`: the transactional part, then the no-transaction part; none when empty. */
export function migrationFiles(statements: readonly DiffStatement[], options: FileOptions): PlannedFile[] {
  const inTransaction = statements.filter((s) => s.phase === "transaction");
  const outside = statements.filter((s) => s.phase === "no-transaction");
  const files: PlannedFile[] = [];
  const header = (part: string) => [`-- Migration: ${options.title}${part}`, `-- Written by dbkit diff (${options.source}). Review it before it is applied.`];
  const incomplete = (options.unsupported ?? []).length > 0 ? unsupportedLines(options.unsupported ?? []) : [];
  if (inTransaction.length > 0 || (outside.length === 0 && incomplete.length > 0)) {
    files.push({ name: options.name, text: fileText([...header(""), ...incomplete], inTransaction), noTransaction: false, statements: inTransaction });
  }
  if (outside.length > 0) {
    const first = files.length === 0;
    const lines = ["-- dbkit:no-transaction", ...header(first ? "" : " (the part that runs outside a transaction)"), "-- Each statement commits on its own: CREATE INDEX CONCURRENTLY cannot run in a transaction, and VALIDATE CONSTRAINT alone takes a lock that lets writes go on.", ...(first ? incomplete : [])];
    files.push({ name: first ? options.name : `${options.name}_concurrently`, text: fileText(lines, outside), noTransaction: true, statements: outside });
  }
  return files;
}

function unsupportedLines(unsupported: readonly Unsupported[]): string[] {
  return ["--", "-- NOT WRITTEN (dbkit diff --allow-incomplete): these objects differ, and dbkit could not write the change:", ...unsupported.map((u) => `--   ${u.key}: ${oneLine(u.reason)}`)];
}

function fileText(header: readonly string[], statements: readonly DiffStatement[]): string {
  const body = statements.map((statement) => {
    const losses = statement.hazards.some((hazard) => LOSES_DATA.includes(hazard));
    return `${losses ? `-- dbkit: drops data: ${statement.key} (${statement.hazards.join(", ")})\n` : ""}${statement.sql.trim()}\n`;
  });
  return `${header.join("\n")}\n\n${body.join("\n")}`;
}

/** `+ table public.invoices`, `~ policy public.t.p`, `- index public.i  [drops-data]`. */
export function summaryLine(statement: DiffStatement): string {
  const mark = statement.action === "create" ? "+" : statement.action === "drop" ? "-" : "~";
  const hazards = statement.hazards.length > 0 ? `  [${statement.hazards.join(", ")}]` : "";
  const phase = statement.phase === "no-transaction" ? "  (no transaction)" : "";
  return `${mark} ${statement.key}${hazards}${phase}`;
}

/**
 * One line per changed object: several statements on one object (an ALTER and its GRANTs) show
 * once, with the strongest action and every hazard.
 */
export function summaryLines(statements: readonly DiffStatement[]): string[] {
  const byKey = new Map<string, DiffStatement>();
  for (const statement of statements) {
    const seen = byKey.get(statement.key);
    if (!seen) byKey.set(statement.key, { ...statement, hazards: [...statement.hazards] });
    else {
      // Created in steps (ADD ... NOT VALID, then VALIDATE) is a creation; dropped and created again, a change.
      if (seen.action !== statement.action) seen.action = merged(seen.action, statement.action);
      for (const hazard of statement.hazards) if (!seen.hazards.includes(hazard)) seen.hazards.push(hazard);
      if (statement.phase === "no-transaction") seen.phase = "no-transaction";
    }
  }
  return [...byKey.values()].map(summaryLine);
}

function merged(a: DiffStatement["action"], b: DiffStatement["action"]): DiffStatement["action"] {
  const actions = new Set([a, b]);
  if (actions.has("create") && actions.has("drop")) return "alter";
  return actions.has("create") ? "create" : actions.has("drop") ? "drop" : "alter";
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
