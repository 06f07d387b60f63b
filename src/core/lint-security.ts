/**
 * verify --security's checks as lint findings: the checks that fail on the state after the pending
 * files and not on the state before them, each attributed to the first pending statement that
 * names the object (the CREATE TABLE of a table without RLS, the CREATE POLICY of a loose policy).
 */
import type { SecurityFinding } from "./security-checks.js";
import type { LintFinding } from "./lint-rules.js";

export interface PendingStatement {
  file: string;
  line: number;
  text: string;
}

/** The security findings the pending files introduce, at the file and line that caused each. */
export function securityLintFindings(before: readonly SecurityFinding[], after: readonly SecurityFinding[], statements: readonly PendingStatement[]): LintFinding[] {
  const known = new Set(before.map((f) => `${f.code} ${f.object}`));
  const first = statements[0];
  if (!first) return [];
  return after
    .filter((f) => !known.has(`${f.code} ${f.object}`))
    .map((f) => {
      const name = objectName(f.object);
      const site = statements.find((s) => mentions(s.text, name)) ?? first;
      return { code: f.code as LintFinding["code"], level: f.level, file: site.file, line: site.line, message: `${f.object}: ${f.message}`, why: f.message, fix: f.hint };
    });
}

/** The object's own name: `policy public.notes.owner_only` → `owner_only`, `function public.f(int)` → `f`. */
export function objectName(object: string): string {
  const qualified = object.replace(/^\S+\s+/, "").replace(/\(.*$/s, "").trim();
  const last = qualified.match(/("(?:[^"]|"")+"|[^.]+)$/)?.[1] ?? qualified;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last;
}

function mentions(text: string, name: string): boolean {
  // Comments do not cause anything: a leading `-- notes, ...` is not the table notes.
  text = text.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w$])"?${escaped}"?($|[^\\w$])`, "i").test(text);
}
