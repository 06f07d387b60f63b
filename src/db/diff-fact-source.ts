/**
 * How db/diff-reader.ts gathers the facts diff needs beyond verify's catalog: each group of
 * object kinds contributes queries (sent with the catalog read's settings, in one round trip)
 * and turns its result sets into ObjectFacts by catalog key.
 */
import type { ObjectFacts } from "../core/diff/types.js";
import type { VerifyScope } from "../core/verify-scope.js";

export type FactRow = Record<string, unknown>;

export interface FactSource {
  /** `owned` is a SQL expression for the oids of the project's schemas: `(select oid from pg_namespace where ...)`. */
  queries(scope: VerifyScope, owned: string): string[];
  /** Receives the result sets of its own queries, in order, and adds facts by catalog key. */
  add(results: FactRow[][], facts: Record<string, ObjectFacts>): void;
}
