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
  // The rest of what the reader derived (present on some files only), as it was.
  return copyOptionalFileFields(derived, new FileOnDisk(identity, derived, read, keep));
}

/**
 * The text is an own accessor, so a spread of the file reads it, as it should. It is defined with
 * one shared descriptor: an object literal with its own `get text()` made two functions per file
 * and left the object in dictionary mode, a third of a no-op run's time over 5000 cached files.
 */
class FileOnDisk implements MigrationFile {
  kind: MigrationFile["kind"];
  name: string;
  version: string;
  path: string;
  checksum: string;
  directives: MigrationFile["directives"];
  declare text: string;
  declare mentionsSupabase?: boolean;
  declare down?: MigrationFile["down"];
  declare journalWhen?: number;
  declare dbmateSections?: boolean;
  declare nodePgMigrateSections?: boolean;
  declare repeatable?: boolean;
  #text: string | undefined;
  readonly #read: () => MigrationFile;
  readonly #keep: boolean;

  static readonly #textProperty: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: FileOnDisk): string {
      return this.#readText();
    },
    set(this: FileOnDisk, value: string) {
      this.#text = value;
    },
  };

  constructor(identity: FileIdentity, derived: FileDerived, read: () => MigrationFile, keep: boolean) {
    this.kind = identity.kind;
    this.name = identity.name;
    this.version = identity.version;
    this.path = identity.path;
    this.checksum = derived.checksum;
    this.directives = derived.directives;
    this.#text = undefined;
    this.#read = read;
    this.#keep = keep;
    Object.defineProperty(this, "text", FileOnDisk.#textProperty);
  }

  #readText(): string {
    if (this.#text !== undefined) return this.#text;
    const fresh = this.#read();
    if (fresh.checksum !== this.checksum) {
      throw new MigrationFileError("DBKIT_FILE_CHANGED", `${this.path}: the file changed while dbkit was running`, { hint: "run the command again", details: { file: this.path } });
    }
    if (this.#keep) this.#text = fresh.text;
    return fresh.text;
  }
}

/** `file` as read, without its text: each use reads the file again (migrate's files). */
export function withTextOnDemand(file: MigrationFile, read: () => MigrationFile): MigrationFile {
  return textFromDisk(file, file, read, false);
}
