/**
 * What a scratch build borrows from the target so that migrations written against it build:
 * the database-level settings (`ALTER DATABASE ... SET`, e.g. a search_path that includes
 * `extensions`) and the roles the migrations name that exist there (platform roles such as
 * `supabase_auth_admin`, which no migration creates).
 */
export interface BuildContext {
  /** `name=value` entries of pg_db_role_setting for the target database, all roles. */
  settings: string[];
  /** Roles that exist on the target and are named in the migrations. */
  roles: string[];
}

/** What verify reads from the target before building: its major and what a build may need. */
export interface TargetFacts {
  /** server_version_num / 10000. */
  major: number;
  /** Database-level settings (pg_db_role_setting of this database, setrole 0). */
  settings: string[];
  /** Every role but Postgres's own (pg_*). */
  roles: string[];
}

/**
 * Settings that change how the build runs rather than what it builds: a read-only default or a
 * timeout on the target is no reason for the scratch build to refuse or stop, and the build
 * runs as the scratch server's own user.
 */
const NOT_COPIED = new Set([
  "role",
  "session_authorization",
  "default_transaction_read_only",
  "transaction_read_only",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "idle_session_timeout",
  "transaction_timeout",
  "session_preload_libraries",
  "local_preload_libraries",
  "default_transaction_isolation",
]);

/** The settings a scratch database takes from the target, as [name, value]. */
export function copiedSettings(settings: readonly string[]): [string, string][] {
  return settings
    .map((entry): [string, string] => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)])
    .filter(([name]) => name !== "" && !NOT_COPIED.has(name.toLowerCase()));
}

/**
 * The roles among `existing` that the SQL texts name: as a word (unquoted names fold to lower
 * case, so a lower-case role is found in any case) or as a quoted identifier. A superset of real
 * references is harmless: a role created needlessly in the scratch server changes nothing the
 * migrations build. Plain substring searches: this runs on every verify, over every file.
 */
export function rolesNamedIn(texts: readonly string[], existing: readonly string[]): string[] {
  const pending = new Set(existing);
  for (const text of texts) {
    if (pending.size === 0) break;
    let lower: string | undefined;
    for (const role of [...pending]) {
      const quoted = `"${role.replace(/"/g, '""')}"`;
      const plain = /^[a-z_\u0080-\uffff][a-z0-9_$\u0080-\uffff]*$/.test(role);
      if (text.includes(quoted) || (plain && containsWord((lower ??= text.toLowerCase()), role))) pending.delete(role);
    }
  }
  const created = rolesCreatedIn(texts);
  // A role a migration creates is not borrowed: the scratch server would then have it before the
  // migration's own CREATE ROLE, which fails when written without a guard.
  return existing.filter((role) => !pending.has(role) && !created.has(role));
}

const CREATE_ROLE = /\bcreate\s+(?:role|user|group)\s+("(?:[^"]|"")+"|[a-z_\u0080-\uffff][a-z0-9_$\u0080-\uffff]*)/gi;

/** The roles the SQL texts create (CREATE ROLE / USER / GROUP), by their real names. */
function rolesCreatedIn(texts: readonly string[]): Set<string> {
  const created = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(CREATE_ROLE)) {
      const name = match[1]!;
      created.add(name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase());
    }
  }
  return created;
}

function containsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text.charCodeAt(at - 1)) && !isWordChar(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

function isWordChar(code: number): boolean {
  // NaN (before the start, past the end) is not a word character.
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36 || code >= 128;
}
