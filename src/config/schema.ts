// zod/mini: the same validation as zod's chained API, but small enough to bundle into the CLI
// without adding tens of milliseconds to every run's start.
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { FOLDER_FORMATS } from "../core/folder-format.js";

/**
 * The schemas, built on first use: building them (and loading the English messages) costs a run
 * 1.5 ms, and a project without a config file or settings given validates nothing.
 */
export const schemas = lazily(() => {
  z.config(en());
  const timeout = z.string().check(z.regex(/^\d+\s*(ms|s|min|h|d)?$/, 'must be a duration such as "5s", "500ms", "2min", or "0" for none'));
  const wholeNumber = z.string().check(z.regex(/^\d+$/, "must be 0 or a positive whole number"));
  const count = z.union([wholeNumber, z.pipe(z.number().check(z.int(), z.minimum(0)), z.transform(String))], { error: "must be 0 or a positive whole number" });
  const identifier = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, "must be a plain SQL identifier (letters, digits, underscores and $, not starting with a digit)"));
  const path = z.string().check(z.minLength(1));
  return {
    /** `dbkit.config.json`: every key optional; unknown keys are errors (a typo must not be ignored). */
    configFile: z.strictObject({
      $schema: z.optional(z.string()),
      migrationsDir: z.optional(path),
      seedsDir: z.optional(path),
      /** The declared schema `dbkit diff` compares with the migrations (default: schema/, or supabase/schemas/). */
      schemaDir: z.optional(path),
      journalSchema: z.optional(identifier),
      lockTimeout: z.optional(timeout),
      statementTimeout: z.optional(timeout),
      lockRetries: z.optional(count),
      wait: z.optional(count),
      /** A Supabase project (default: detected from the layout and the migrations). */
      supabase: z.optional(z.boolean()),
      /** Settings for the migration sessions, e.g. { "search_path": "app, public, extensions" }. */
      sessionSettings: z.optional(
        z.record(
          z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, "must be a setting name such as search_path or app.tenant")),
          z.union([z.string(), z.number(), z.boolean()]),
        ),
      ),
      /** Schemas the project owns (what `reset` drops); default: public plus those the migrations create. */
      schemas: z.optional(z.array(identifier).check(z.minLength(1))),
      /** The migration folder's format (default: detected from the folder). */
      format: z.optional(z.enum(FOLDER_FORMATS)),
      /** File names (`*` wildcards) in the migrations folder that dbkit must not read. */
      exclude: z.optional(z.array(path)),
      /** Run the seeds of supabase/config.toml on a database not on this machine too (default: only local). */
      seedRemote: z.optional(z.boolean()),
    }),
    /** The validated values after precedence, before paths are resolved. */
    settings: z.object({
      migrationsDir: path,
      seedsDir: path,
      journalSchema: identifier,
      lockTimeout: timeout,
      statementTimeout: timeout,
      lockRetries: wholeNumber,
      wait: z.string().check(z.regex(/^\d+$/, "must be 0 or a positive whole number of seconds")),
    }),
  };
});
export type ConfigFile = z.infer<ReturnType<typeof schemas>["configFile"]>;

function lazily<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

export const DEFAULTS = {
  migrationsDir: "migrations",
  seedsDir: "seeds",
  journalSchema: "dbkit",
  lockTimeout: "5s",
  statementTimeout: "0",
  lockRetries: "3",
  wait: "0",
} as const;

/** Environment variables read for the database URL, in order of preference. */
export const URL_VARIABLES = ["DATABASE_URL", "POSTGRES_URL", "SUPABASE_DB_URL"] as const;

/** Environment variables for the other settings. */
export const SETTING_VARIABLES = {
  migrationsDir: "DBKIT_MIGRATIONS_DIR",
  seedsDir: "DBKIT_SEEDS_DIR",
  journalSchema: "DBKIT_JOURNAL_SCHEMA",
  lockTimeout: "DBKIT_LOCK_TIMEOUT",
  statementTimeout: "DBKIT_STATEMENT_TIMEOUT",
  lockRetries: "DBKIT_LOCK_RETRIES",
  wait: "DBKIT_WAIT",
} as const;
