import { z } from "zod";

const timeout = z
  .string()
  .regex(/^\d+\s*(ms|s|min|h|d)?$/, 'must be a duration such as "5s", "500ms", "2min", or "0" for none');
const count = z.string().regex(/^\d+$/, "must be a whole number").or(z.number().int().min(0).transform(String));
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, "must be a plain SQL identifier (letters, digits, underscores)");

/** `dbkit.config.json`: every key optional; unknown keys are errors (a typo must not be ignored). */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  migrationsDir: z.string().min(1).optional(),
  seedsDir: z.string().min(1).optional(),
  journalSchema: identifier.optional(),
  lockTimeout: timeout.optional(),
  statementTimeout: timeout.optional(),
  lockRetries: count.optional(),
  wait: count.optional(),
  /** A Supabase project (default: detected from the layout and the migrations). */
  supabase: z.boolean().optional(),
  /** Schemas the project owns (what `reset` drops); default: public plus those the migrations create. */
  schemas: z.array(identifier).min(1).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The validated values after precedence, before paths are resolved. */
export const settingsSchema = z.object({
  migrationsDir: z.string().min(1),
  seedsDir: z.string().min(1),
  journalSchema: identifier,
  lockTimeout: timeout,
  statementTimeout: timeout,
  lockRetries: z.string().regex(/^\d+$/, "must be a whole number"),
  wait: z.string().regex(/^\d+$/, "must be a whole number of seconds"),
});

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
