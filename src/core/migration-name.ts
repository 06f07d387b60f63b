/** A migration or seed file name split into its parts. Identity is `name` (file name without `.sql`). */
export interface ParsedFileName {
  /** File name without `.sql`: the identity recorded in the journal. */
  name: string;
  /** The digits before the first underscore, as written (`0001`, `20250120000000`). */
  version: string;
  /** The part after the first underscore. */
  label: string;
}

/**
 * Parses `<version>_<name>.sql` (digits, an underscore, at least one character, `.sql`); returns
 * undefined for any other name. A regex rather than a scan: every run parses every file name, in
 * code not optimised yet, where a character-by-character loop cost three times the native match.
 */
export function parseMigrationFileName(fileName: string): ParsedFileName | undefined {
  const match = MIGRATION_FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const version = match[1]!;
  return { name: fileName.slice(0, -".sql".length), version, label: fileName.slice(version.length + 1, -".sql".length) };
}

/** The label: one or more characters, none of them a line terminator. */
const MIGRATION_FILE_NAME = /^(\d+)_[^\n\r\u2028\u2029]+\.sql$/;

/**
 * Numeric version order (any width), then name in code-point order: `00010_x` sorts after
 * `0002_y`. The empty version (Flyway's repeatables) sorts after every other.
 */
export function compareMigrations(a: { version: string; name: string }, b: { version: string; name: string }): number {
  if (a.version === "" || b.version === "") {
    if (a.version !== b.version) return a.version === "" ? 1 : -1;
  }
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether `items` are in migration order (compareMigrations). */
export function inMigrationOrder(items: readonly { version: string; name: string }[]): boolean {
  for (let i = 1; i < items.length; i++) if (compareMigrations(items[i - 1]!, items[i]!) > 0) return false;
  return true;
}

/** A version without its zero padding: `0006` and `6` are the same version. */
export function normaliseVersion(version: string): string {
  // A loop rather than a regex: sorting calls this thousands of times on a no-op run.
  let i = 0;
  while (i < version.length - 1 && version.charCodeAt(i) === 48) i++;
  return i === 0 ? version : version.slice(i);
}

/**
 * Compares digit strings numerically without converting to a number (versions may exceed 2^53);
 * dotted versions (Flyway's `1.10`) part by part; timestamps of different precisions as times.
 */
export function compareVersions(a: string, b: string): number {
  if (a.includes(".") || b.includes(".")) return compareDotted(a, b);
  // Digit strings of one width (zero-padded versions, timestamps) compare as they sort; so do
  // timestamps of two precisions (`202404101227` is 2024-04-10 12:27, after `20230517185943`),
  // as the Supabase CLI and dbmate run them: in file name order.
  if (a.length === b.length || (isTimestamp(a) && isTimestamp(b))) return a < b ? -1 : a > b ? 1 : 0;
  const x = normaliseVersion(a);
  const y = normaliseVersion(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Eight digits or more starting with a year 19xx or 20xx: `YYYYMMDD[hhmm[ss]]` and finer. */
function isTimestamp(version: string): boolean {
  if (version.length < 8) return false;
  const century = version.charCodeAt(0) * 10 + version.charCodeAt(1) - 48 * 11;
  return century === 19 || century === 20;
}

function compareDotted(a: string, b: string): number {
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const byPart = compareVersions(x[i] ?? "0", y[i] ?? "0");
    if (byPart !== 0) return byPart;
  }
  return 0;
}

/** Groups of names that share one version: they are distinct migrations, but worth a warning. */
export function findSharedVersions(files: readonly { version: string; name: string }[]): string[][] {
  return groupsOfMany(files, (file) => normaliseVersion(file.version), (file) => file.name);
}

/** Names that differ only in letter case collide on case-insensitive file systems (macOS, Windows). */
export function findCaseCollisions(names: readonly string[]): string[][] {
  return groupsOfMany(names, (name) => name.toLowerCase(), (name) => name);
}

/** The groups of more than one item sharing a key. */
function groupsOfMany<T>(items: readonly T[], keyOf: (item: T) => string, show: (item: T) => string): string[][] {
  // The first item of each key is all most folders have: a group is made only on a second one
  // (an array per item was most of what a no-op run allocated here).
  const first = new Map<string, T>();
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const key = keyOf(item);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, item);
    else {
      const group = groups.get(key);
      if (group) group.push(show(item));
      else groups.set(key, [show(seen), show(item)]);
    }
  }
  return [...groups.values()];
}
