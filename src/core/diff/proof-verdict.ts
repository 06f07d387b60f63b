/**
 * What the proof of `dbkit diff` says: the new files, applied after the migrations in a scratch
 * database, give the desired state exactly (proven), or they do not (the differences left, or why
 * they failed to apply), or there was nothing to apply them to (a database as the current state).
 * Changes listed as unsupported (written only with --allow-incomplete) are expected to differ. Pure.
 */
import type { Difference } from "../catalog.js";
import type { Unsupported } from "./types.js";

export interface ProofOutcome {
  /** verify's comparison of the proof build with the desired state. */
  differences: Difference[];
  /** The new files failed to apply: the error's message. */
  failed?: string;
}

export interface ProofVerdict {
  /** true: 0 differences; false: see `refused`; null: nothing to prove it on. */
  proven: boolean | null;
  differences: { kind: string; object: string; props?: string[] }[];
  refused?: string;
}

export function proofVerdict(proof: ProofOutcome | undefined, unsupported: readonly Unsupported[], desired: string): ProofVerdict {
  if (!proof) return { proven: null, differences: [] };
  const expected = new Set(unsupported.map((u) => u.key));
  const left = proof.differences.filter((d) => !expected.has(d.key));
  const differences = left.map((d) => ({ kind: d.kind, object: d.key, ...(d.props ? { props: d.props.map((p) => p.prop) } : {}) }));
  if (proof.failed) return { proven: false, differences, refused: `the migration failed on top of the migrations in a scratch database: ${proof.failed}` };
  if (left.length > 0) return { proven: false, differences, refused: `the migration does not give ${desired} exactly: ${left.length} difference(s) after applying it` };
  return { proven: true, differences: [] };
}
