/**
 * A no-op `migrate` proven by one digest, instead of planning every file against every journal
 * row: sha256 over each migration's name and checksum, each length-prefixed (so no name or
 * checksum can be read as part of another), in byte order of the names. The server computes the
 * same over its applied migration rows (db/journal-sql.ts, journalSummarySql). When the two are
 * equal and no migration row is failed or running, every file is applied as it is now and nothing
 * else is recorded: the plan has nothing to do, and no row needs reading.
 */
import { createHash } from "node:crypto";

/** Outside printable ASCII: the server orders names byte by byte (`collate "C"`), JavaScript by UTF-16 unit; they agree on ASCII. */
const NOT_ASCII = /[^\x20-\x7e]/;

/** The digest of `files` all applied as they are; undefined when a name is not printable ASCII (then plan as usual). */
export function appliedDigest(files: readonly { name: string; checksum: string }[]): string | undefined {
  let ordered = files;
  for (let i = 1; i < files.length; i++) {
    if (files[i - 1]!.name > files[i]!.name) {
      ordered = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      break;
    }
  }
  const hash = createHash("sha256");
  // In chunks, each checked once for a character outside ASCII (a test per name cost more than the hash).
  let chunk = "";
  for (const file of ordered) {
    chunk += `${file.name.length}:${file.name}${file.checksum.length}:${file.checksum}`;
    if (chunk.length > 65_536) {
      if (NOT_ASCII.test(chunk)) return undefined;
      hash.update(chunk);
      chunk = "";
    }
  }
  return NOT_ASCII.test(chunk) ? undefined : hash.update(chunk).digest("hex");
}
