/**
 * The data `dbkit diff` works on: two schema states (verify's catalog, plus what writing DDL
 * needs beyond the compared properties) in, ordered statements out. Pure types: the reader is
 * db/diff-reader.ts, the planner core/diff/plan.ts, one differ per catalog category.
 */
import type { Catalog, CatalogCategory, CatalogObject } from "../catalog.js";

/** A schema state as diff needs it: verify's catalog, and per object how to name and recreate it. */
export interface SchemaModel {
  catalog: Catalog;
  /** By catalog key (the same keys as `catalog.objects`). */
  facts: Record<string, ObjectFacts>;
  /** The server's version (server_version_num, 170002): DDL some majors lack is written another way. */
  serverVersion?: number;
  /** The role that read it (current_user): in `from`, the role that creates what the plan creates, and so owns it. */
  role?: string;
}

/** What writing DDL for one object needs beyond the properties verify compares. */
export interface ObjectFacts {
  /** The object's name as SQL, quoted where needed: `public."My table"`, `public.f(integer, text)`, `"Col"`. */
  sql: string;
  /** For an object that belongs to a table (column, constraint, index, trigger, policy, rule, rls): the table's catalog key. */
  table?: string;
  /** A definition Postgres prints whole where it has one (pg_get_functiondef, ...). */
  definition?: string;
  /** A column's place in its table (attnum), so CREATE TABLE lists columns in their order. */
  position?: number;
  /** Catalog keys this object depends on (from pg_depend), so statements are ordered by dependency. */
  dependsOn: string[];
  /** Anything else a differ needs, by name. */
  extra?: Record<string, string | number | boolean | null | string[]>;
}

/** Why a statement needs a reviewer's eye. */
export type Hazard =
  | "drops-data" // drops a table, column, type or sequence that may hold data
  | "narrows-type" // a type change that may fail or lose data (text → varchar(10), bigint → int)
  | "rewrites-table" // a type change or volatile default that rewrites an existing table
  | "locks-table" // takes a heavy lock on an existing table for the statement's time
  | "renames" // a rename that running code may still use
  | "changes-security" // grants, revokes, policies, RLS, security definer
  | "recreates"; // dropped and created again (a view or function whose signature changed)

export interface DiffStatement {
  /** One complete statement, ending with `;`. */
  sql: string;
  /** The catalog key of the object it creates, changes or drops. */
  key: string;
  category: CatalogCategory;
  action: "create" | "alter" | "drop";
  hazards: Hazard[];
  /**
   * "no-transaction": must run outside a transaction (CREATE INDEX CONCURRENTLY on an existing
   * table, and what must follow it); written to a second file with `-- dbkit:no-transaction`.
   */
  phase: "transaction" | "no-transaction";
  /**
   * Catalog keys whose statements must come before this one, beyond its object's own
   * dependencies (a sequence's OWNED BY after the table it names). Objects that depend on this
   * statement's object do not wait for it. The planner removes it from its output.
   */
  after?: string[];
}

/** A change the differ cannot write as SQL, by object: the file is not written unless allowed. */
export interface Unsupported {
  key: string;
  reason: string;
}

/** A table or column that looks renamed: one gone and one new with the same definition. */
export interface RenameCandidate {
  category: "tables" | "columns";
  from: string;
  to: string;
}

export interface DiffOptions {
  /** Write statements that lose data (drop table/column/type, narrowing changes); otherwise they are refused. */
  allowDrop: boolean;
  /** Decided renames: catalog keys, `table public.a` → `table public.b`, `column public.t.a` → `column public.t.b`. */
  renames: { from: string; to: string }[];
  /**
   * Write online-safe DDL on tables that exist before the change (CONCURRENTLY, NOT VALID then
   * VALIDATE). Default true; false for a target with no traffic (a scratch or test build).
   */
  online: boolean;
}

export interface DiffPlan {
  statements: DiffStatement[];
  unsupported: Unsupported[];
  /** Statements that lose data, left out because `allowDrop` is false. */
  refusedDrops: DiffStatement[];
  /** Looks-renamed pairs not decided by `renames` (written as drop and create, so refused unless allowDrop). */
  renameCandidates: RenameCandidate[];
}

/** One object to compare: present in `from`, in `to`, or both with different properties. */
export interface ObjectChange {
  key: string;
  category: CatalogCategory;
  from?: { object: CatalogObject; facts: ObjectFacts };
  to?: { object: CatalogObject; facts: ObjectFacts };
}

export interface DiffContext {
  from: SchemaModel;
  to: SchemaModel;
  options: DiffOptions;
  /** Whether a table (by catalog key) exists in `from` and is kept: online-safe DDL applies to it. */
  existedBefore(tableKey: string): boolean;
  /** Whether the whole object (by catalog key) is created, or dropped, by this plan: its parts need no statements of their own. */
  createdWhole(key: string): boolean;
  droppedWhole(key: string): boolean;
}

export interface DifferResult {
  statements: DiffStatement[];
  unsupported?: Unsupported[];
}

/** Writes the statements for one object's change; one per catalog category. */
export type Differ = (change: ObjectChange, context: DiffContext) => DifferResult;
export type Differs = Partial<Record<CatalogCategory, Differ>>;
