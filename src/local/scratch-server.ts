/**
 * Which Postgres builds `verify`'s expected schema when no --shadow-url is given: one of the
 * target's own major, so the two catalogs are printed by the same server version and compare
 * exactly. For the embedded default target, a database inside its own running server when that is
 * exact; else the bundled embedded server when the majors match; otherwise that major's binaries,
 * fetched once into the per-user cache.
 */
import path from "node:path";
import { findPostgresBinaries, type PostgresBinaries } from "./embedded-binaries.js";
import { fetchPostgresBinaries } from "./postgres-download.js";

export interface ScratchServerChoice {
  major: number;
  /** A running server to make the scratch database in (the embedded target's own); then no server is started. */
  url?: string;
  /** Folder of the scratch server's data, one per major (a data folder belongs to one major). */
  dir: string;
  /** Undefined: the bundled binaries. */
  binaries?: PostgresBinaries;
}

export interface ScratchServerOptions {
  /**
   * The embedded server the target itself runs on, and whether a scratch database inside it is
   * exact (the build touches nothing its databases share: core/cluster-objects.ts).
   */
  targetServer?: { url: string; exact: boolean };
  stateDir: string;
  cacheDir: string;
  onFetch?: (message: string) => void;
}

/** The major of the bundled embedded Postgres (its npm package's version). */
export function bundledMajor(): number {
  return majorOfVersion(findPostgresBinaries().version);
}

export async function chooseScratchServer(targetMajor: number, options: ScratchServerOptions): Promise<ScratchServerChoice> {
  // Same server, same major and build: a database beside the target costs no second server.
  if (options.targetServer?.exact) return { major: targetMajor, dir: options.stateDir, url: options.targetServer.url };
  const bundled = bundledMajor();
  if (targetMajor === bundled || !Number.isInteger(targetMajor) || targetMajor <= 0) return { major: bundled, dir: path.join(options.stateDir, "scratch") };
  const binaries = await fetchPostgresBinaries(targetMajor, { cacheDir: options.cacheDir, ...(options.onFetch ? { onFetch: options.onFetch } : {}) });
  return { major: targetMajor, dir: path.join(options.stateDir, `scratch-pg${targetMajor}`), binaries };
}

/** `15.18.0-beta.17`, `15.14 (Debian 15.14-0+deb12u1)`, `9.6.24` → 15, 15, 9. */
export function majorOfVersion(version: string): number {
  return Number.parseInt(version, 10);
}
