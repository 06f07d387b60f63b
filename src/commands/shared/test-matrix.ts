/**
 * `dbkit test --matrix`: the access matrix tried on the scratch build, compared with the committed
 * `access-matrix.json` of the tests folder (written when there is none, or with --update-matrix).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { compareMatrices, matrixFile, type AccessMatrix, type MatrixChange, type MatrixFile } from "../../core/access-matrix.js";
import { probeAccess } from "../../db/access-probe.js";
import type { Sql } from "../../db/session.js";
import { UsageError } from "../../errors.js";
import type { Run } from "./run.js";

export interface MatrixResult {
  /** The file compared with (or written), relative to the project. */
  file: string;
  matrix: AccessMatrix;
  /** Accesses the file does not allow: each fails the run. */
  appeared: MatrixChange[];
  /** Accesses the file has that are gone: recorded with --update-matrix. */
  removed: MatrixChange[];
  written: boolean;
  /** Why a cell is `?`. */
  notes: string[];
}

/** Schemas the Supabase API serves (PostgREST's default). */
const EXPOSED_SCHEMAS = ["public"];

export async function checkAccessMatrix(sql: Sql, options: { cwd: string; testsDir: string; update: boolean; supabase: boolean }, reporter: Run): Promise<MatrixResult> {
  if (!options.supabase) {
    throw new UsageError("DBKIT_USAGE", "--matrix tries the Supabase API roles (anon, authenticated, service_role) and auth.users: this is not a Supabase project", {
      hint: "set \"supabase\": true in dbkit.config.json if the project is one, or write tests with the tests.* helpers instead",
    });
  }
  const absolute = path.join(options.testsDir, "access-matrix.json");
  const file = path.relative(options.cwd, absolute).split(path.sep).join("/");
  const { matrix, notes } = await probeAccess(sql, EXPOSED_SCHEMAS);
  const committed = await readFile(absolute, "utf8").then(
    (text) => (JSON.parse(text) as MatrixFile).tables,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw new UsageError("DBKIT_USAGE", `${file} cannot be read: ${error.message}`, { hint: "fix it, or write it again with dbkit test --matrix --update-matrix" });
    },
  );
  const write = options.update || committed === undefined;
  if (write) {
    await writeFile(absolute, `${JSON.stringify(matrixFile(matrix), null, 2)}\n`);
    reporter.info(`wrote ${file}: commit it; later runs fail on an access it does not have`);
  }
  const { appeared, removed } = write ? { appeared: [], removed: [] } : compareMatrices(committed ?? {}, matrix);
  return { file, matrix, appeared, removed, written: write, notes };
}
