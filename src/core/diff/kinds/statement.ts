/** Small helpers the differs share: one statement for a change, and SQL literals. */
import type { DiffStatement, Hazard, ObjectChange } from "../types.js";

export function statement(change: Pick<ObjectChange, "key" | "category">, action: DiffStatement["action"], sql: string, more: { hazards?: Hazard[]; phase?: DiffStatement["phase"]; after?: string[] } = {}): DiffStatement {
  return { sql, key: change.key, category: change.category, action, hazards: more.hazards ?? [], phase: more.phase ?? "transaction", ...(more.after ? { after: more.after } : {}) };
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Whether a property differs between the two sides of a change. */
export function changed(change: ObjectChange, prop: string): boolean {
  return JSON.stringify(change.from?.object.props[prop] ?? null) !== JSON.stringify(change.to?.object.props[prop] ?? null);
}
