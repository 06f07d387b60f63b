/**
 * Knowing that a migration file has not changed without reading it, as git's index does: beside
 * what was derived from the file (checksum, directives) it records the file's size, mtime, ctime
 * and inode, and a file whose stat matches is not read again. When any of them moves the file is
 * read and hashed. ctime is the one an editor cannot set back: an edit that keeps the size and
 * touches the mtime back still moves it.
 *
 * The racily clean case (an edit in the same clock tick as the read, so the stat does not move):
 * a file is recorded only when its mtime and ctime are older than FRESH_MS before it was read.
 * Any later write then stamps a ctime newer than the recorded one; a file edited moments ago is
 * simply read again on the next run.
 *
 * Kept in `.dbkit/file-stats/`, one file per migrations folder; a cache that cannot be read or
 * written is no cache, never an error.
 */
import { statSync, type Stats } from "node:fs";
import type { MigrationFile } from "../core/types.js";
import { DBKIT_VERSION } from "../version.js";
import { lookupInOrder } from "../core/lookup-in-order.js";
import { folderCachePath, readCacheFile, writeCacheFile } from "./cache-file.js";
import { textFromDisk, withTextOnDemand, type FileDerived, type FileIdentity } from "./text-on-demand.js";

const CACHE_VERSION = `${DBKIT_VERSION}/9`;

/** Well above any file system's timestamp granularity (FAT: 2 s). */
export const FRESH_MS = 3000;

/**
 * A file's stat as recorded: size, mtime ms, ctime ms, inode, device, compared number by number.
 * Milliseconds as doubles (sub-microsecond at today's dates) rather than BigInt nanoseconds: a
 * file is recorded only when its ctime is FRESH_MS old, so any later write moves the ctime by
 * more than that. Numbers, not a string: formatting three doubles per file made a third of a
 * no-op run's garbage at 5000 files.
 */
const STAT_FIELDS = 5;
/**
 * One string per file, `<checksum> <flags>[ <JSON of the rest>]`: flags are noTransaction,
 * seedOnce and mentionsSupabase as 1, 0 or - (absent). A string is all a no-op run creates per
 * file when it loads the cache; an object per entry (and its directives) made a third of the
 * run's garbage at 5000 files.
 */
type Stored = string;
/** The fields stored as JSON after the flags: `never` unless pack and unpack handle every field of FileDerived. */
type RestOfDerived = Omit<FileDerived, "checksum" | "directives" | "mentionsSupabase">;
type Unhandled = Exclude<keyof FileDerived, "checksum" | "directives" | "mentionsSupabase" | "down" | "journalWhen" | "dbmateSections" | "nodePgMigrateSections" | "repeatable">;
const everyDerivedFieldHandled: Unhandled extends never ? true : never = true;
void everyDerivedFieldHandled;
/**
 * Three parallel arrays in the folder's order (a run asks for the files in that order, so the
 * entry for a file is found at the position of the previous one plus one, without a map): the
 * file names, their stats (STAT_FIELDS numbers each) and what was derived from them.
 */
interface CacheFile {
  v: string;
  names: string[];
  stats: number[];
  derived: Stored[];
}

export interface FileStatCache {
  /**
   * The file as `read` gives it, from the cache when the stat of `filePath` (whose name in the
   * folder is `fileName`) has not moved; its text is then read on first use.
   */
  read(filePath: string, fileName: string, identity: FileIdentity, read: () => MigrationFile): MigrationFile;
  /** Writes the cache when this run changed it. */
  save(): void;
}

/**
 * The cache for one migrations folder (read from `cwd`, whose relative paths it records). `now`
 * is the clock that decides whether a file is old enough to record (tests move it forward).
 * `keepText`: false when the caller wants its files to keep no text (see fs/text-on-demand.ts).
 */
export function openFileStatCache(stateDir: string, dir: string, cwd: string, now: () => number = Date.now, keepText = true): FileStatCache {
  const cachePath = folderCachePath(stateDir, dir, cwd, "stats");
  const previous = load(cachePath);
  /** The position of a file's entry in `previous`, or -1. */
  const positionOf = lookupInOrder(previous.names.length, (index) => previous.names[index]!);
  // This run's entries in the folder's order: a position in `previous` (kept), or -1 - a position in `fresh`.
  const order: number[] = [];
  const fresh = emptyCache();
  return {
    read(filePath, fileName, identity, read) {
      const readAt = now();
      const stats = statIfPossible(filePath);
      if (!stats) return read(); // the reader reports a file that cannot be read
      const at = positionOf(fileName);
      if (at >= 0 && sameStat(previous.stats, at * STAT_FIELDS, stats)) {
        const known = previous.derived[at]!;
        const derived = unpack(known);
        if (derived) {
          order.push(at);
          return textFromDisk(identity, derived, read, keepText);
        }
      }
      const file = read();
      // Only a file last written well before this read: see the header about racily clean files.
      if (settledBefore(stats, readAt)) {
        order.push(-1 - fresh.names.length);
        fresh.names.push(fileName);
        fresh.stats.push(...statFields(stats));
        fresh.derived.push(pack(file));
      }
      return keepText ? file : withTextOnDemand(file, read);
    },
    save() {
      if (fresh.names.length === 0 && order.length === previous.names.length) return;
      const written = emptyCache();
      for (const position of order) {
        const [from, at] = position >= 0 ? [previous, position] : [fresh, -1 - position];
        written.names.push(from.names[at]!);
        written.stats.push(...from.stats.slice(at * STAT_FIELDS, (at + 1) * STAT_FIELDS));
        written.derived.push(from.derived[at]!);
      }
      writeCacheFile(cachePath, written);
    },
  };
}

/** The stat of `filePath`, or undefined when it cannot be taken: the caller then goes without its cache. */
export function statIfPossible(filePath: string): Stats | undefined {
  try {
    return statSync(filePath);
  } catch {
    return undefined;
  }
}

/** Whether the file (or folder) of `stats` was last changed, mtime and ctime, FRESH_MS before `at`: only then is it recorded (see the header). */
export function settledBefore(stats: Stats, at: number): boolean {
  return stats.ctimeMs < at - FRESH_MS && stats.mtimeMs < at - FRESH_MS;
}

/** The STAT_FIELDS numbers a file's stat is recorded as. */
export function statFields(stats: Stats): number[] {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, stats.dev];
}

/** Whether the stat recorded at `at` in `recorded` (as statFields wrote it) is `stats`. */
export function sameStat(recorded: readonly number[], at: number, stats: Stats): boolean {
  return (
    recorded[at] === stats.size &&
    recorded[at + 1] === stats.mtimeMs &&
    recorded[at + 2] === stats.ctimeMs &&
    recorded[at + 3] === stats.ino &&
    recorded[at + 4] === stats.dev
  );
}

const emptyCache = (): CacheFile => ({ v: CACHE_VERSION, names: [], stats: [], derived: [] });

function load(cachePath: string): CacheFile {
  const parsed = readCacheFile(cachePath) as Partial<CacheFile> | undefined;
  // Another dbkit version (or cache layout) may derive different facts from the same file.
  if (parsed?.v !== CACHE_VERSION || !Array.isArray(parsed.names) || !Array.isArray(parsed.stats) || !Array.isArray(parsed.derived)) return emptyCache();
  const { names, stats, derived } = parsed;
  // A cache whose arrays disagree is damaged: no entry of it is trusted.
  if (derived.length !== names.length || stats.length !== names.length * STAT_FIELDS) return emptyCache();
  if (!names.every((name) => typeof name === "string") || !derived.every((entry) => typeof entry === "string")) return emptyCache();
  return { v: CACHE_VERSION, names, stats, derived };
}

const flag = (value: boolean | undefined) => (value === undefined ? "-" : value ? "1" : "0");

function pack(file: MigrationFile): Stored {
  const rest: RestOfDerived = {};
  if (file.down !== undefined) rest.down = { path: file.down.path, text: file.down.text, noTransaction: file.down.noTransaction };
  if (file.journalWhen !== undefined) rest.journalWhen = file.journalWhen;
  if (file.dbmateSections !== undefined) rest.dbmateSections = file.dbmateSections;
  if (file.nodePgMigrateSections !== undefined) rest.nodePgMigrateSections = file.nodePgMigrateSections;
  if (file.repeatable !== undefined) rest.repeatable = file.repeatable;
  const flags = `${flag(file.directives.noTransaction)}${flag(file.directives.seedOnce)}${flag(file.mentionsSupabase)}`;
  return `${file.checksum} ${flags}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ""}`;
}

/** The four directives a cached file can have, shared: frozen, as nothing changes a file's directives in place. */
const DIRECTIVES = [false, true].map((noTransaction) => [false, true].map((seedOnce) => Object.freeze({ noTransaction, seedOnce })));

/** What `pack` stored; undefined for an entry it did not write (a damaged entry is a miss). */
function unpack(stored: Stored): FileDerived | undefined {
  const space = stored.indexOf(" ");
  if (space <= 0 || stored.length < space + 4 || (stored.length > space + 4 && stored.charCodeAt(space + 4) !== 32)) return undefined;
  const noTransaction = stored[space + 1];
  const seedOnce = stored[space + 2];
  const mentionsSupabase = stored[space + 3];
  if ((noTransaction !== "0" && noTransaction !== "1") || (seedOnce !== "0" && seedOnce !== "1")) return undefined;
  const derived: FileDerived = { checksum: stored.slice(0, space), directives: DIRECTIVES[noTransaction === "1" ? 1 : 0]![seedOnce === "1" ? 1 : 0]! };
  if (mentionsSupabase === "0" || mentionsSupabase === "1") derived.mentionsSupabase = mentionsSupabase === "1";
  else if (mentionsSupabase !== "-") return undefined;
  if (stored.length > space + 4) {
    try {
      Object.assign(derived, JSON.parse(stored.slice(space + 5)) as RestOfDerived);
    } catch {
      return undefined;
    }
  }
  return derived;
}
