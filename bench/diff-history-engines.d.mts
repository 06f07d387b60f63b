// Types of bench/diff-history-engines.mjs, for the integration test that imports it.
import type { Engine } from "./diff-history-lib.mjs";
export const dbkit: Engine;
export const PEER_VERSIONS: Record<string, string>;
export function installPeers(names?: string[]): { pgDelta: string; migra: string };
export function pgDelta(bin: string): Engine;
export function migra(bin: string): Engine;
