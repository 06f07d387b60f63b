/**
 * The two schema states `dbkit diff` compares, each read as a SchemaModel: the migrations or the
 * schema folder, built in scratch databases on one scratch server; or a live database, read in a
 * read-only transaction (never written). And the proof: the written files applied on top of the
 * migrations in their scratch database, compared with the desired state by verify's comparer.
 */
import type { Settings } from "../../config/load-config.js";
import { rolesNamedIn, type BuildContext } from "../../core/build-context.js";
import { comparableAcrossMajors } from "../../core/across-majors.js";
import { diffCatalogs, type Difference } from "../../core/catalog.js";
import type { SchemaModel } from "../../core/diff/types.js";
import type { SupabaseDetection } from "../../core/supabase-project.js";
import type { MigrationFile } from "../../core/types.js";
import type { VerifyScope } from "../../core/verify-scope.js";
import { readSchemaModel } from "../../db/diff-reader.js";
import type { Database } from "../../db/database.js";
import { DbkitError, ExitCode, MigrationFailedError } from "../../errors.js";
import { buildIn } from "./build-scratch.js";
import { openScratchServer, type OpenScratch, type ScratchServer } from "./open-scratch.js";
import { openStore, type OpenStore } from "./open-target.js";
import type { Run } from "./run.js";

/** Where one side of the diff comes from. */
export type SideSource = { kind: "migrations"; files: MigrationFile[] } | { kind: "schema"; files: MigrationFile[]; shown: string } | { kind: "url"; url: string; flag: "--from-url" | "--to-url" };

export interface Side {
  model: SchemaModel;
  major: number;
  /** `the migrations`, `schema/`, `the database at --to-url`. */
  label: string;
}

export interface Proof {
  /** Differences left between the proof build and the desired state; empty: proven. */
  differences: Difference[];
  /** The new files failed to apply on top of the migrations: the message. */
  failed?: string;
}

export interface DiffSides {
  from: Side;
  to: Side;
  /** Applies `files` after the migrations in the `from` scratch database and compares with `to`; undefined when `from` is a database. */
  prove?(files: MigrationFile[]): Promise<Proof>;
  close(): Promise<void>;
}

export interface SidesOptions {
  scope: VerifyScope;
  detection: SupabaseDetection;
  shadowUrl?: string | undefined;
  /** Every SQL text of the project (migrations and schema files): which borrowed roles a build needs. */
  texts: string[];
}

const READ_ONLY_SNAPSHOT = "isolation level repeatable read read only";

/** Opens what each side needs, reads both models; close() drops every scratch database and closes every connection. */
export async function openDiffSides(settings: Settings, reporter: Run, from: SideSource, to: SideSource, options: SidesOptions): Promise<DiffSides> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const live = new Map<SideSource, OpenStore>();
    for (const source of [to, from]) {
      if (source.kind !== "url") continue;
      const opened = await openStore({ ...settings, databaseUrl: { value: source.url, source: source.flag } }, reporter, {});
      closers.push(() => opened.close());
      live.set(source, opened);
    }
    // A build is done by the live side's major, with its database settings and the roles the files name.
    const reference = [...live.values()][0]?.db;
    const facts = reference ? await reference.catalog.readTargetFacts() : undefined;
    const context: BuildContext | undefined = facts ? { settings: facts.settings, roles: rolesNamedIn(options.texts, facts.roles) } : undefined;
    let server: ScratchServer | undefined;
    const scratchFor = async (): Promise<OpenScratch> => {
      if (!server) {
        server = await openScratchServer(settings, reporter, { shadowUrl: options.shadowUrl, ...(facts ? { targetMajor: facts.major } : {}), ...(context ? { context } : {}) });
        const opened = server;
        closers.push(() => opened.close());
      }
      const scratch = await server.create();
      closers.push(() => scratch.close());
      return scratch;
    };
    const read = async (source: SideSource, which: "from" | "to"): Promise<Side & { scratch?: OpenScratch }> => {
      if (source.kind === "url") {
        const db = live.get(source)!.db;
        const major = (await db.catalog.readTargetFacts()).major;
        return { model: await readLive(db, options.scope), major, label: `the database at ${source.flag}` };
      }
      const label = source.kind === "schema" ? `${source.shown}/` : "the migrations";
      reporter.info(`building ${label} (${which === "to" ? "the desired state" : "the current state"}) in a scratch database`);
      const scratch = await scratchFor();
      await buildIn(scratch, settings, reporter, { files: source.files, detection: options.detection, failed: (error) => sideFailed(error, label, which) });
      return { model: await scratch.db.session.run(() => readSchemaModel(scratch.db.session.sql, options.scope)), major: scratch.major, label, scratch };
    };
    // The desired state first, its database dropped once read: the roles it created go with it on
    // dbkit's own scratch server, and the migrations (built after, kept for the proof) create them again.
    const toSide = await read(to, "to");
    await toSide.scratch?.close();
    const fromSide = await read(from, "from");
    const proofScratch = fromSide.scratch;
    const prove =
      proofScratch && from.kind !== "url"
        ? async (files: MigrationFile[]): Promise<Proof> => {
            try {
              await buildIn(proofScratch, settings, reporter, { files: [...from.files, ...files], detection: options.detection });
            } catch (error) {
              return { differences: [], failed: error instanceof Error ? error.message : String(error) };
            }
            const proved = await proofScratch.db.session.run(() => readSchemaModel(proofScratch.db.session.sql, options.scope));
            return { differences: diffCatalogs(...comparableAcrossMajors(toSide.model.catalog, proved.catalog, toSide.major, proofScratch.major)) };
          }
        : undefined;
    return { from: fromSide, to: toSide, ...(prove ? { prove } : {}), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A live database's model, in one read-only snapshot: diff never writes to it. */
function readLive(db: Database, scope: VerifyScope): Promise<SchemaModel> {
  return db.session.run(() => db.session.transaction(READ_ONLY_SNAPSHOT, (tx) => readSchemaModel(tx, scope)));
}

/** A build that failed says which side and which file (exit 4). */
function sideFailed(error: unknown, label: string, which: "from" | "to"): unknown {
  if (!(error instanceof DbkitError) || error.exitCode !== ExitCode.migrationFailed) return error;
  const role = which === "to" ? "the desired state" : "the current state";
  return new MigrationFailedError("DBKIT_DIFF_BUILD_FAILED", `the build of ${label} (${role}) failed in a scratch database: ${error.message}`, {
    hint: which === "to" ? `fix the file named: every file of ${label} is applied in order to an empty database` : "the migrations fail on an empty database: fix the file named (dbkit migrate would fail the same way)",
    cause: error,
    details: { ...error.details, side: which },
  });
}
