/**
 * A label added with ALTER TYPE ... ADD VALUE cannot be used in the transaction that adds it
 * ("unsafe use of new value"): a default, check, policy or view naming it would fail. Those
 * statements move to the no-transaction part, which runs after the added label is committed
 * (and whatever follows them moves with them).
 */
import type { DiffStatement } from "./types.js";

const ADD_VALUE = /^ALTER TYPE (.+) ADD VALUE '((?:[^']|'')*)'/;

export function afterNewEnumLabels(groups: DiffStatement[][]): DiffStatement[][] {
  const uses: string[] = [];
  for (const statement of groups.flat()) {
    const [, type = "", label = ""] = ADD_VALUE.exec(statement.sql) ?? [];
    if (!type) continue;
    const unqualified = type.slice(type.lastIndexOf(".") + 1);
    uses.push(`'${label}'::${type}`, `'${label}'::${unqualified}`);
  }
  if (uses.length === 0) return groups;
  const usesNew = (statement: DiffStatement) => !ADD_VALUE.test(statement.sql) && uses.some((use) => statement.sql.includes(use));
  return groups.map((group) => group.map((statement) => (usesNew(statement) ? { ...statement, phase: "no-transaction" as const } : statement)));
}
