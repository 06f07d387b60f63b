import type { Directives } from "./directives.js";

export type FileKind = "migration" | "seed";

/** A migration (or seed) file after reading and validation: everything dbkit needs to run it. */
export interface MigrationFile {
  kind: FileKind;
  /** Identity: file name without `.sql`. */
  name: string;
  version: string;
  /** Path as the user should see it (relative to the project when possible). */
  path: string;
  /** SQL text as run: BOM stripped, line endings normalised to LF. */
  text: string;
  /** sha256 of `text`. */
  checksum: string;
  directives: Directives;
  /** Whether the text refers to Supabase's schemas or roles, when the reader worked it out. */
  mentionsSupabase?: boolean;
  /** The down of this migration: golang-migrate's `.down.sql`, dbmate's down section, Flyway's `U` file. */
  down?: DownSql;
  /** drizzle-kit's journal `when` (epoch ms): what drizzle records as `created_at` for this file. */
  journalWhen?: number;
  /** Read from dbmate's `-- migrate:up` / `-- migrate:down` sections (`text` is the up section). */
  dbmateSections?: boolean;
  /** Read from node-pg-migrate's `-- Up Migration` / `-- Down Migration` sections (`text` is the up section). */
  nodePgMigrateSections?: boolean;
  /** A Flyway repeatable (`R__*.sql`, version ""): runs after the versioned files, and again when it changes. */
  repeatable?: boolean;
}

/** SQL that undoes one migration (`dbkit down`); its text keeps the line numbers of `path`. */
export interface DownSql {
  path: string;
  text: string;
  noTransaction: boolean;
}

/** A seed file after a first streaming pass: its content is read again, streamed, when it runs. */
export interface SeedFile {
  kind: "seed";
  /** Identity in the journal: the file name with `.sql`, so it never collides with a migration. */
  name: string;
  version: string;
  path: string;
  absolutePath: string;
  /** sha256 over the file and, in order, every file it includes. */
  checksum: string;
  directives: Directives;
}

export type JournalStatus = "applied" | "running" | "failed";

/** One row of the journal table. */
export interface JournalRow {
  name: string;
  version: string;
  kind: FileKind;
  checksum: string;
  status: JournalStatus;
  appliedAt: Date;
  executionMs: number | null;
  error: string | null;
}

/** A statement as the Postgres parser (libpg_query) gives it: `{ kind, node }` plus its line. */
export interface ParsedStatementLike {
  kind: string;
  node: Record<string, unknown>;
  line: number;
}
