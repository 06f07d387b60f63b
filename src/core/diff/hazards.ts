/**
 * Hazards the planner itself marks, and the safety rule: statements that lose data (a dropped
 * table, column, type or sequence; a narrowing type change) are refused unless allowDrop.
 */
import type { DiffOptions, DiffStatement, Hazard } from "./types.js";

const HOLDS_DATA = new Set(["tables", "columns", "types", "sequences"]);

/** A drop of something that holds data is `drops-data`, whoever wrote it. */
export function withHazards(statement: DiffStatement): DiffStatement {
  const hazards = new Set<Hazard>(statement.hazards);
  if (statement.action === "drop" && HOLDS_DATA.has(statement.category)) hazards.add("drops-data");
  return hazards.size === statement.hazards.length ? statement : { ...statement, hazards: [...hazards] };
}

const REFUSED: Hazard[] = ["drops-data", "narrows-type"];

export function splitRefused(statements: DiffStatement[], options: Pick<DiffOptions, "allowDrop">): { statements: DiffStatement[]; refusedDrops: DiffStatement[] } {
  if (options.allowDrop) return { statements, refusedDrops: [] };
  const refused = (s: DiffStatement) => s.hazards.some((h) => REFUSED.includes(h));
  return { statements: statements.filter((s) => !refused(s)), refusedDrops: statements.filter(refused) };
}
