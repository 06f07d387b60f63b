/** A migration or seed file name split into its parts. Identity is `name` (file name without `.sql`). */
export interface ParsedFileName {
  /** File name without `.sql`: the identity recorded in the journal. */
  name: string;
  /** The digits before the first underscore, as written (`0001`, `20250120000000`). */
  version: string;
  /** The part after the first underscore. */
  label: string;
}

const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

/** Parses `<version>_<name>.sql`; returns undefined for any other name. */
export function parseMigrationFileName(fileName: string): ParsedFileName | undefined {
  const match = MIGRATION_FILE.exec(fileName);
  if (!match) return undefined;
  const [, version, label] = match as unknown as [string, string, string];
  return { name: fileName.slice(0, -".sql".length), version, label };
}

/** Numeric version order (any width), then name in code-point order: `00010_x` sorts after `0002_y`. */
export function compareMigrations(a: { version: string; name: string }, b: { version: string; name: string }): number {
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A version without its zero padding: `0006` and `6` are the same version. */
export function normaliseVersion(version: string): string {
  // A loop rather than a regex: sorting calls this thousands of times on a no-op run.
  let i = 0;
  while (i < version.length - 1 && version.charCodeAt(i) === 48) i++;
  return i === 0 ? version : version.slice(i);
}

/** Compares digit strings numerically without converting to a number (versions may exceed 2^53). */
export function compareVersions(a: string, b: string): number {
  const x = normaliseVersion(a);
  const y = normaliseVersion(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Groups of names that share one version: they are distinct migrations, but worth a warning. */
export function findSharedVersions(files: readonly { version: string; name: string }[]): string[][] {
  const byVersion = new Map<string, string[]>();
  for (const file of files) {
    const key = normaliseVersion(file.version);
    byVersion.set(key, [...(byVersion.get(key) ?? []), file.name]);
  }
  return [...byVersion.values()].filter((names) => names.length > 1);
}

/** Names that differ only in letter case collide on case-insensitive file systems (macOS, Windows). */
export function findCaseCollisions(names: readonly string[]): string[][] {
  const byLower = new Map<string, string[]>();
  for (const name of names) {
    const key = name.toLowerCase();
    byLower.set(key, [...(byLower.get(key) ?? []), name]);
  }
  return [...byLower.values()].filter((group) => group.length > 1);
}
