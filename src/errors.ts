/**
 * Typed errors. The class decides the exit code; the string code is stable and public.
 * Exit codes are documented in the README and tested one by one.
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  connection: 3,
  migrationFailed: 4,
  drift: 5,
  pending: 6,
  /** Ctrl-C (SIGINT), SIGTERM, SIGHUP: the shell's 128 + signal number. */
  interrupted: 130,
  terminated: 143,
  hangup: 129,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface DbkitErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Structured data for --json and the detailed human report. */
  details?: Record<string, unknown>;
}

export class DbkitError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, exitCode: ExitCodeValue, message: string, options: DbkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** Bad flags, bad config, a refused request: nothing was changed. Exit 2. */
export class UsageError extends DbkitError {
  constructor(code: string, message: string, options?: DbkitErrorOptions) {
    super(code, ExitCode.usage, message, options);
  }
}

/** The configuration file or environment is invalid; lists every problem at once. Exit 2. */
export class ConfigError extends UsageError {
  constructor(message: string, readonly problems: string[], options?: DbkitErrorOptions) {
    super("DBKIT_CONFIG_INVALID", message, { ...options, details: { problems, ...options?.details } });
  }
}

/** A migration file cannot be used as it is (encoding, psql meta-command, transaction control). Exit 2. */
export class MigrationFileError extends UsageError {
  constructor(code: string, message: string, options?: DbkitErrorOptions) {
    super(code, message, options);
  }
}

/** Cannot connect, authenticate, or acquire a lock in time. Exit 3. */
export class ConnectionError extends DbkitError {
  constructor(code: string, message: string, options?: DbkitErrorOptions) {
    super(code, ExitCode.connection, message, options);
  }
}

/** A migration failed: rolled back, or recorded as failed for a no-transaction file. Exit 4. */
export class MigrationFailedError extends DbkitError {
  constructor(code: string, message: string, options?: DbkitErrorOptions) {
    super(code, ExitCode.migrationFailed, message, options);
  }
}

/** The database and the files disagree: changed or missing files, out-of-order files. Exit 5. */
export class DriftError extends DbkitError {
  constructor(code: string, message: string, options?: DbkitErrorOptions) {
    super(code, ExitCode.drift, message, options);
  }
}

/** `status --check` found pending work. Exit 6. */
export class PendingWorkError extends DbkitError {
  constructor(message: string, options?: DbkitErrorOptions) {
    super("DBKIT_PENDING", ExitCode.pending, message, options);
  }
}

/** A bug in dbkit. Exit 1. */
export class InternalError extends DbkitError {
  constructor(message: string, options?: DbkitErrorOptions) {
    super("DBKIT_INTERNAL", ExitCode.internal, message, {
      hint: "this is a bug in dbkit; please report it with the command you ran",
      ...options,
    });
  }
}

/** A `failed` or `running` journal row blocks every further migration until `dbkit resolve`. */
export class UnresolvedMigrationError extends MigrationFailedError {
  constructor(name: string, status: string, why?: string) {
    super(
      "DBKIT_UNRESOLVED_MIGRATION",
      status === "running"
        ? `${name} is recorded as running${why ? ` and ${why}` : ""}: a no-transaction migration was interrupted and may be partly applied`
        : `${name} is recorded as failed: a no-transaction migration stopped partway`,
      {
        hint: `check the database, then run \`dbkit resolve ${name} --applied\` (finished by hand) or \`dbkit resolve ${name} --rolled-back\` (undone; it will run again)`,
        details: { name, status },
      },
    );
  }
}
