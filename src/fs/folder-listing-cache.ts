/**
 * Knowing that a migration folder's listing has not changed without listing it, as git's untracked
 * cache does: a folder's mtime and ctime move whenever a name is added, removed or renamed in it,
 * so while the folder's stat has not moved, the migrations read from its names (their order,
 * format, downs and warnings) are those of the last run. Each file's content is still checked by
 * its own stat (fs/file-stat-cache.ts); this spares the listing, the name parsing and the sort,
 * which at 5000 files cost a no-op run more than the stats themselves.
 *
 * Recorded only for a listing that is a function of the folder's names alone: no sub-folder and no
 * link (a sub-folder's files, or what a link leads to, change without moving this folder's stat),
 * and not drizzle or Prisma, which read further files. The same racily clean rule as the stat cache: a folder last
 * changed within FRESH_MS of the listing is listed again next time.
 */
import type { Stats } from "node:fs";
import type { FolderFormat } from "../core/folder-format.js";
import { DBKIT_VERSION } from "../version.js";
import { folderCachePath, readCacheFile, writeCacheFile } from "./cache-file.js";
import { sameStat, settledBefore, statFields, statIfPossible } from "./file-stat-cache.js";
import type { LayoutOptions, NamedFile } from "./folder-layout.js";

const CACHE_VERSION = `${DBKIT_VERSION}/2`;

/** A folder's migrations as its names give them. */
export interface FolderListing {
  format: FolderFormat;
  /** Whether the format came from the config. */
  configured: boolean;
  /** Migrations and repeatables, in migration order. */
  named: NamedFile[];
  /** Down files by normalised version. */
  downs: Map<string, string>;
  warnings: string[];
  /** Whether the listing depends on nothing but the folder's names (see the header). */
  namesAlone: boolean;
}

/** What else than the folder's names a listing depends on: the options it is read with. */
export function listingKey(options: LayoutOptions): string {
  return JSON.stringify([options.format, options.exclude, options.otherFolders]);
}

interface Stored {
  v: string;
  /** What else the listing depended on: the reading options. */
  key: string;
  /** The folder's size, mtime ms, ctime ms, inode and device before it was listed. */
  stat: number[];
  format: FolderFormat;
  configured: boolean;
  warnings: string[];
  downs: [string, string][];
  fileNames: string[];
  /** Omitted when every name is its file name less `.sql`. */
  names?: string[];
  versions: string[];
  /** Positions of the repeatables. */
  repeatables: number[];
}

/**
 * The listing of `dir` (read from `cwd`) under `key` (see listingKey): the recorded
 * one while the folder's stat has not moved, else `list()`'s, recorded when it may be. `now` is
 * the clock that decides whether the folder is old enough to record (tests move it forward).
 */
export async function cachedListing(stateDir: string, dir: string, cwd: string, key: string, list: () => Promise<FolderListing>, now: () => number = Date.now): Promise<FolderListing> {
  const listedAt = now();
  const stats = statIfPossible(dir);
  if (!stats) return list(); // the lister reports a folder that cannot be read
  const cachePath = folderCachePath(stateDir, dir, cwd, "listing");
  const stored = load(cachePath);
  if (stored && stored.key === key && sameStat(stored.stat, 0, stats)) return unpack(stored);
  const listing = await list();
  if (listing.namesAlone && settledBefore(stats, listedAt)) writeCacheFile(cachePath, pack(listing, key, stats));
  return listing;
}

function pack(listing: FolderListing, key: string, stats: Stats): Stored {
  const { named } = listing;
  const plainNames = named.every((file) => file.name.length === file.fileName.length - 4 && file.fileName.startsWith(file.name) && file.fileName.endsWith(".sql"));
  const repeatables: number[] = [];
  named.forEach((file, index) => file.repeatable && repeatables.push(index));
  return {
    v: CACHE_VERSION,
    key,
    stat: statFields(stats),
    format: listing.format,
    configured: listing.configured,
    warnings: listing.warnings,
    downs: [...listing.downs],
    fileNames: named.map((file) => file.fileName),
    ...(plainNames ? {} : { names: named.map((file) => file.name) }),
    versions: named.map((file) => file.version),
    repeatables,
  };
}

function unpack(stored: Stored): FolderListing {
  const { fileNames, names, versions } = stored;
  const named: NamedFile[] = new Array(fileNames.length);
  for (let i = 0; i < fileNames.length; i++) {
    const fileName = fileNames[i]!;
    named[i] = { fileName, name: names ? names[i]! : fileName.slice(0, -4), version: versions[i]! };
  }
  for (const index of stored.repeatables) named[index]!.repeatable = true;
  return { format: stored.format, configured: stored.configured, named, downs: new Map(stored.downs), warnings: stored.warnings, namesAlone: true };
}

function load(cachePath: string): Stored | undefined {
  const parsed = readCacheFile(cachePath) as Partial<Stored> | undefined;
  if (parsed?.v !== CACHE_VERSION || typeof parsed.key !== "string" || !Array.isArray(parsed.stat) || !Array.isArray(parsed.fileNames) || !Array.isArray(parsed.versions)) return undefined;
  if (!Array.isArray(parsed.warnings) || !Array.isArray(parsed.downs) || !Array.isArray(parsed.repeatables) || typeof parsed.format !== "string") return undefined;
  // A cache whose arrays disagree is damaged: none of it is trusted.
  const count = parsed.fileNames.length;
  if (parsed.versions.length !== count || (parsed.names !== undefined && parsed.names.length !== count)) return undefined;
  if (!parsed.repeatables.every((index) => Number.isInteger(index) && index >= 0 && index < count)) return undefined;
  return parsed as Stored;
}
