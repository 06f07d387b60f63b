/** Naming the next migration or seed file after the folder's own convention. Pure. */

/** Lower case, words joined by underscores, nothing but [a-z0-9_]. */
export function sanitiseName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\.sql$/, "")
    .replace(/[\s\-./]+/g, "_")
    .replace(/[^a-z0-9_]/g, "")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
}

/** `YYYYMMDDHHMMSS` in UTC. */
export function utcTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

export type NamingStyle = { kind: "timestamp" } | { kind: "sequence"; width: number; next: number } | { kind: "plain" };

/**
 * The convention of existing file names: 14-digit timestamps, or zero-padded sequence numbers
 * (`0001_`), or, for an empty folder, `fallback`.
 */
export function detectNamingStyle(existing: readonly string[], fallback: NamingStyle): NamingStyle {
  const versions = existing.map((name) => /^(\d+)_/.exec(name)?.[1]).filter((v): v is string => v !== undefined);
  if (versions.length === 0) return fallback;
  if (versions.some((v) => v.length >= 14)) return { kind: "timestamp" };
  const width = Math.max(...versions.map((v) => v.length));
  const next = Math.max(...versions.map(Number)) + 1;
  return { kind: "sequence", width, next };
}

/** The next file name; a timestamp already taken moves on by a second. */
export function nextFileName(style: NamingStyle, name: string, now: Date, existing: readonly string[]): string {
  if (style.kind === "plain") return `${name}.sql`;
  if (style.kind === "sequence") return `${String(style.next).padStart(style.width, "0")}_${name}.sql`;
  const taken = new Set(existing.map((file) => file.slice(0, 14)));
  let time = now.getTime();
  while (taken.has(utcTimestamp(new Date(time)))) time += 1000;
  return `${utcTimestamp(new Date(time))}_${name}.sql`;
}
