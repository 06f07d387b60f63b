/**
 * The one event type that flows from the engine (and the commands around it) to output/:
 * progress, warnings, the target, what --verbose shows, as plain data. The CLI prints it;
 * programmatic callers get it through `onEvent` (all but "verbose", "sql" and "secret").
 */
import type { MigrationFile, SeedFile } from "../core/types.js";
import type { TargetInfo } from "./ports.js";

export type DbkitEvent =
  | { type: "info" | "warning"; message: string }
  /** What --verbose shows: server notices, a scratch server's notes. Only the CLI's output shows these three. */
  | { type: "verbose"; message: string }
  /** A query sent to the server (shown, shortened, with --verbose). */
  | { type: "sql"; query: string }
  /** A password found on the way (the embedded server's): masked wherever it would be printed. */
  | { type: "secret"; secret: string }
  | { type: "target"; target: TargetInfo; source: string }
  | { type: "applying"; name: string; kind: "migration" | "seed"; mode: "transaction" | "no-transaction" }
  | { type: "applied"; name: string; kind: "migration" | "seed"; executionMs: number }
  | { type: "skipped"; name: string; kind: "migration" | "seed" };

/** Where the engine sends its events. */
export type OnEvent = (event: DbkitEvent) => void;

/** `file` starts to run. */
export function applyingEvent(file: MigrationFile | SeedFile, mode: "transaction" | "no-transaction"): DbkitEvent {
  return { type: "applying", name: file.name, kind: file.kind, mode };
}

/** `file` ran and is recorded. */
export function appliedEvent(file: MigrationFile | SeedFile, executionMs: number): DbkitEvent {
  return { type: "applied", name: file.name, kind: file.kind, executionMs };
}

/** Another runner applied `file` while this one waited. */
export function skippedEvent(file: MigrationFile | SeedFile): DbkitEvent {
  return { type: "skipped", name: file.name, kind: file.kind };
}
