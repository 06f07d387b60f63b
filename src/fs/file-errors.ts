/** Ordinary file-system problems (a folder where a file should be, no permission) as usage errors. */
import { UsageError } from "../errors.js";

/**
 * The usage error (exit 2) for an error from reading `shown`, a file or a folder, or undefined
 * when the error is not one a user causes by the state of their files.
 */
export function fileAccessError(error: unknown, shown: string, what: "file" | "folder"): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EISDIR":
      return new UsageError("DBKIT_NOT_A_FILE", `${shown}: is a folder, not a file`, { hint: "rename or move the folder: every .sql entry of the folder is read as a file", details: { file: shown } });
    case "ENOTDIR":
      return new UsageError("DBKIT_NOT_A_FOLDER", `${shown}: is not a folder`, { hint: "point the setting to a folder", details: { file: shown } });
    case "EACCES":
    case "EPERM":
      return new UsageError("DBKIT_FILE_UNREADABLE", `${shown}: permission denied reading this ${what}`, {
        hint: `give the user running dbkit read access to the ${what}${what === "folder" ? " (r and x)" : ""}`,
        details: { file: shown },
      });
    case "ENOENT":
      return new UsageError("DBKIT_FILE_NOT_FOUND", `${shown}: the ${what} disappeared while dbkit read it`, { hint: "run dbkit again once the files stop changing", details: { file: shown } });
    case "ELOOP":
      return new UsageError("DBKIT_FILE_UNREADABLE", `${shown}: a symbolic link that loops`, { hint: "fix or remove the link", details: { file: shown } });
    default:
      return undefined;
  }
}

/** Runs a read and turns file-system problems into usage errors naming the path. */
export function readingFs<T>(shown: string, what: "file" | "folder", read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw fileAccessError(error, shown, what) ?? error;
  }
}
