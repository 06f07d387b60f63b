/**
 * A migration file whose text stays on disk until something uses it, checked then against the
 * checksum taken when the folder was read. The stat cache gives its files this way (a no-op run
 * reads no file), and `migrate` keeps no text at all: a 5000-file apply then holds no file's text
 * beyond the moment it is checked or sent, instead of every file's text for the whole run.
 */
import type { MigrationFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";
import { copyOptionalFileFields } from "./optional-file-fields.js";

/** Who the file is: what the caller knows from the file's name. */
export type FileIdentity = Pick<MigrationFile, "kind" | "name" | "version" | "path">;
/** What reading the file derived, less its text and its identity. */
export type FileDerived = Omit<MigrationFile, "text" | keyof FileIdentity>;

/**
 * The file of `identity` and `derived`, its text read by `read` when used. `keep`: the text is
 * kept once read (a file that may be needed again, cheaply); otherwise each use reads it again.
 */
export function textFromDisk(identity: FileIdentity, derived: FileDerived, read: () => MigrationFile, keep: boolean): MigrationFile {
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
      if (text !== undefined) return text;
      const fresh = read();
      if (fresh.checksum !== derived.checksum) {
        throw new MigrationFileError("DBKIT_FILE_CHANGED", `${identity.path}: the file changed while dbkit was running`, { hint: "run the command again", details: { file: identity.path } });
      }
      if (keep) text = fresh.text;
      return fresh.text;
    },
    set text(value: string) {
      text = value;
    },
  };
  // The rest of what the reader derived (present on some files only), as it was.
  return copyOptionalFileFields(derived, file);
}

/** `file` as read, without its text: each use reads the file again (migrate's files). */
export function withTextOnDemand(file: MigrationFile, read: () => MigrationFile): MigrationFile {
  return textFromDisk(file, file, read, false);
}
