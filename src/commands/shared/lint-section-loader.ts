/**
 * The lint section's code (scratch builds, the Supabase base) is loaded only when a run lints:
 * `migrate` and `status` import it for `--dry-run` and `--lint`, and loading it cost every plain
 * run of theirs about 4 ms.
 */
export type { LintSection } from "./lint-section.js";

export function loadLintSection(): Promise<typeof import("./lint-section.js")> {
  return import("./lint-section.js");
}
