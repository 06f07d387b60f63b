/**
 * The access matrix `dbkit test --matrix` derives by trying each command as each API role, and
 * its comparison with the committed `access-matrix.json`: an access that appears without the file
 * being updated is a failure naming table, role and command.
 */

/** Who tries: anon, a signed-in user on a row it owns, a signed-in user on another user's row, service_role. */
export const MATRIX_ROLES = ["anon", "owner", "other", "service_role"] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
export const MATRIX_COMMANDS = ["select", "insert", "update", "delete"] as const;
export type MatrixCommand = (typeof MATRIX_COMMANDS)[number];

/** Per command letter: S/I/U/D allowed, `-` refused, `?` could not be tried (why is in `notes`). */
export type AccessMatrix = Record<string, Record<MatrixRole, string>>;

export const ROLE_LABELS: Record<MatrixRole, string> = {
  anon: "anon",
  owner: "authenticated, as the row's owner",
  other: "authenticated, as another user",
  service_role: "service_role",
};

export interface MatrixFile {
  legend: string;
  tables: AccessMatrix;
}

export function matrixFile(matrix: AccessMatrix): MatrixFile {
  return {
    legend: "written by dbkit test --matrix: per table and role, S I U D = select insert update delete allowed, - refused, ? not tried; owner/other = authenticated on its own / another user's row",
    tables: Object.fromEntries(Object.entries(matrix).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** An access found now that the committed matrix does not have. */
export interface MatrixChange {
  table: string;
  role: MatrixRole;
  command: MatrixCommand;
  message: string;
}

/** Accesses that appeared (failures) and that went away (to be recorded), committed → now. */
export function compareMatrices(committed: AccessMatrix, now: AccessMatrix): { appeared: MatrixChange[]; removed: MatrixChange[] } {
  const appeared: MatrixChange[] = [];
  const removed: MatrixChange[] = [];
  for (const [table, roles] of Object.entries(now)) {
    for (const role of MATRIX_ROLES) {
      MATRIX_COMMANDS.forEach((command, index) => {
        const was = committed[table]?.[role]?.[index] ?? "-";
        const is = roles[role][index] ?? "?";
        const verb = command.toUpperCase();
        if (is !== "-" && is !== "?" && was === "-") appeared.push({ table, role, command, message: `${table}: ${ROLE_LABELS[role]} can ${verb}, which tests/access-matrix.json does not allow` });
        if (is === "-" && was !== "-" && was !== "?") removed.push({ table, role, command, message: `${table}: ${ROLE_LABELS[role]} can no longer ${verb}` });
      });
    }
  }
  return { appeared, removed };
}

/** The owner column of a table: a column its policies compare with auth.uid(). */
export function ownerColumnOf(policyText: string, columns: readonly string[]): string | undefined {
  const patterns = [/auth\.uid\(\)(?:\s+AS\s+\w+)?\s*\)?\s*=\s*"?(\w+)"?/gi, /"?(\w+)"?\s*=\s*\(?\s*(?:SELECT\s+)?auth\.uid\(\)/gi];
  for (const pattern of patterns) {
    for (const match of policyText.matchAll(pattern)) if (match[1] && columns.includes(match[1])) return match[1];
  }
  return undefined;
}
