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
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from "node:fs";
import path from "node:path";
import type { MigrationFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";
import { DBKIT_VERSION } from "../version.js";

const CACHE_VERSION = `${DBKIT_VERSION}/4`;

/** Well above any file system's timestamp granularity (FAT: 2 s). */
export const FRESH_MS = 3000;

/**
 * `size:mtime ms:ctime ms:inode:device`, compared whole. Milliseconds as doubles (sub-microsecond
 * at today's dates) rather than BigInt nanoseconds, which cost a fifth of a no-op run's stats: a
 * file is recorded only when its ctime is FRESH_MS old, so any later write moves the ctime by more
 * than that.
 */
type StatKey = string;
/** What reading the file derived, less its text and its identity (which the caller knows from the name). */
type Derived = Omit<MigrationFile, "text" | keyof Identity>;
type Identity = Pick<MigrationFile, "kind" | "name" | "version" | "path">;
/**
 * One string per file, `<stat> <checksum> <flags>[ <JSON of the rest>]`: flags are noTransaction,
 * seedOnce and mentionsSupabase as 1, 0 or - (absent). A string is all a no-op run creates per
 * file when it loads the cache; an object per entry (and its directives) made a third of the
 * run's garbage at 5000 files.
 */
type Stored = string;
/** The fields stored as JSON after the flags: `never` unless pack and unpack handle every field of Derived. */
type RestOfDerived = Omit<Derived, "checksum" | "directives" | "mentionsSupabase">;
type Unhandled = Exclude<keyof Derived, "checksum" | "directives" | "mentionsSupabase" | "down" | "journalWhen" | "dbmateSections" | "repeatable">;
const everyDerivedFieldHandled: Unhandled extends never ? true : never = true;
void everyDerivedFieldHandled;
interface CacheFile {
  v: string;
  /** By file name (the cache is one folder's). */
  entries: Record<string, Stored>;
}

export interface FileStatCache {
  /** The file as `read` gives it, from the cache when its stat has not moved (its text then read on first use). */
  read(filePath: string, identity: Identity, read: () => MigrationFile): MigrationFile;
  /** Writes the cache when this run changed it. */
  save(): void;
}

/**
 * The cache for one migrations folder (read from `cwd`, whose relative paths it records). `now`
 * is the clock that decides whether a file is old enough to record (tests move it forward).
 */
export function openFileStatCache(stateDir: string, dir: string, cwd: string, now: () => number = Date.now): FileStatCache {
  const cachePath = path.join(stateDir, "file-stats", `${createHash("sha256").update(`${path.resolve(dir)}\0${path.resolve(cwd)}`).digest("hex").slice(0, 24)}.json`);
  const previous = load(cachePath);
  const folder = path.join(dir, path.sep);
  const entries: Record<string, Stored> = {};
  let kept = 0;
  let dirty = false;
  return {
    read(filePath, identity, read) {
      const readAt = now();
      let stats: Stats;
      try {
        stats = statSync(filePath);
      } catch {
        return read(); // the reader reports a file that cannot be read
      }
      const stat: StatKey = `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}:${stats.dev}`;
      const key = filePath.startsWith(folder) ? filePath.slice(folder.length) : filePath;
      const known = previous[key];
      if (known !== undefined && known.length > stat.length && known.charCodeAt(stat.length) === 32 && known.startsWith(stat)) {
        const derived = unpack(known, stat.length + 1);
        if (derived) {
          entries[key] = known;
          kept++;
          return withLazyText(identity, derived, read);
        }
      }
      const file = read();
      // Only a file last written well before this read: see the header about racily clean files.
      if (stats.ctimeMs < readAt - FRESH_MS && stats.mtimeMs < readAt - FRESH_MS) {
        entries[key] = pack(stat, file);
        dirty = true;
      }
      return file;
    },
    save() {
      if (!dirty && kept === Object.keys(previous).length) return;
      try {
        mkdirSync(path.dirname(cachePath), { recursive: true });
        // Written whole then renamed: a concurrent run never reads half a file.
        const temporary = `${cachePath}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify({ v: CACHE_VERSION, entries } satisfies CacheFile));
        renameSync(temporary, cachePath);
      } catch {
        // A read-only checkout: every run reads the files, as without a cache.
      }
    },
  };
}

function load(cachePath: string): Record<string, Stored> {
  try {
    const parsed = JSON.parse(readFileSync(cachePath, "utf8")) as CacheFile;
    // Another dbkit version (or cache layout) may derive different facts from the same file.
    return parsed.v === CACHE_VERSION && parsed.entries && typeof parsed.entries === "object" ? parsed.entries : {};
  } catch {
    return {};
  }
}

const flag = (value: boolean | undefined) => (value === undefined ? "-" : value ? "1" : "0");

function pack(stat: StatKey, file: MigrationFile): Stored {
  const rest: RestOfDerived = {};
  if (file.down !== undefined) rest.down = { path: file.down.path, text: file.down.text, noTransaction: file.down.noTransaction };
  if (file.journalWhen !== undefined) rest.journalWhen = file.journalWhen;
  if (file.dbmateSections !== undefined) rest.dbmateSections = file.dbmateSections;
  if (file.repeatable !== undefined) rest.repeatable = file.repeatable;
  const flags = `${flag(file.directives.noTransaction)}${flag(file.directives.seedOnce)}${flag(file.mentionsSupabase)}`;
  return `${stat} ${file.checksum} ${flags}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ""}`;
}

/** What `pack` stored from `at` on; undefined for an entry it did not write (a damaged cache is a miss). */
function unpack(stored: Stored, at: number): Derived | undefined {
  const space = stored.indexOf(" ", at);
  if (space <= at || stored.length < space + 4 || (stored.length > space + 4 && stored.charCodeAt(space + 4) !== 32)) return undefined;
  const noTransaction = stored[space + 1];
  const seedOnce = stored[space + 2];
  const mentionsSupabase = stored[space + 3];
  if ((noTransaction !== "0" && noTransaction !== "1") || (seedOnce !== "0" && seedOnce !== "1")) return undefined;
  const derived: Derived = { checksum: stored.slice(at, space), directives: { noTransaction: noTransaction === "1", seedOnce: seedOnce === "1" } };
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

/** The cached file, its text read (and checked against the cached checksum) only when something needs it. */
function withLazyText(identity: Identity, derived: Derived, read: () => MigrationFile): MigrationFile {
  let text: string | undefined;
  // An own getter (a spread of the file reads the text, as it should), in a literal of fixed
  // shape: spreading identity and derived into a literal with accessors cost ten times as much
  // (a quarter of a no-op run over 5000 cached files), Object.defineProperty more still.
  const file: MigrationFile = {
    kind: identity.kind,
    name: identity.name,
    version: identity.version,
    path: identity.path,
    checksum: derived.checksum,
    directives: derived.directives,
    get text(): string {
      if (text === undefined) {
        const fresh = read();
        if (fresh.checksum !== derived.checksum) {
          throw new MigrationFileError("DBKIT_FILE_CHANGED", `${identity.path}: the file changed while dbkit was running`, { hint: "run the command again", details: { file: identity.path } });
        }
        text = fresh.text;
      }
      return text;
    },
    set text(value: string) {
      text = value;
    },
  };
  // The rest of what the reader derived (present on some files only), as it was: every optional
  // field of MigrationFile is copied (Unhandled above fails to compile when one is added).
  if (derived.mentionsSupabase !== undefined) file.mentionsSupabase = derived.mentionsSupabase;
  if (derived.down !== undefined) file.down = derived.down;
  if (derived.journalWhen !== undefined) file.journalWhen = derived.journalWhen;
  if (derived.dbmateSections !== undefined) file.dbmateSections = derived.dbmateSections;
  if (derived.repeatable !== undefined) file.repeatable = derived.repeatable;
  return file;
}
