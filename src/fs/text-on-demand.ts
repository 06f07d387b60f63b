/**
 * A migration file that does not keep its text: each use reads the file again and checks it
 * against the checksum taken when the folder was read. `migrate` reads its files this way: a
 * 5000-file apply then holds no file's text beyond the moment it is checked or sent, instead of
 * every file's text for the whole run.
 */
import type { MigrationFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";
import { copyOptionalFileFields } from "./optional-file-fields.js";

/** `file` as read, its text read again by `read` whenever asked for. Copies fields without touching `file.text`. */
export function withTextOnDemand(file: MigrationFile, read: () => MigrationFile): MigrationFile {
  const { path, checksum } = file;
  const onDemand: MigrationFile = {
    kind: file.kind,
    name: file.name,
    version: file.version,
    path,
    checksum,
    directives: file.directives,
    get text(): string {
      const fresh = read();
      if (fresh.checksum !== checksum) {
        throw new MigrationFileError("DBKIT_FILE_CHANGED", `${path}: the file changed while dbkit was running`, { hint: "run the command again", details: { file: path } });
      }
      return fresh.text;
    },
  };
  return copyOptionalFileFields(file, onDemand);
}
