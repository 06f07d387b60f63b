/**
 * Event triggers: CREATE EVENT TRIGGER ... WHEN TAG IN (...) EXECUTE FUNCTION; a change of event,
 * tags or function drops and creates it again; whether it fires is ALTER EVENT TRIGGER.
 */
import type { DiffStatement, Differ, ObjectChange } from "../types.js";
import { extraText, ident, literal, statementOf } from "./code-sql.js";

type Side = NonNullable<ObjectChange["from"]>;

const FIRING: Record<string, string> = { enabled: "ENABLE", disabled: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" };
const nameOf = (change: ObjectChange, side: Side) => side.facts.sql ?? ident(change.key.slice("event trigger ".length));

function createSql(change: ObjectChange, side: Side): string {
  const p = side.object.props;
  const tags = Array.isArray(p.tags) && p.tags.length > 0 ? ` WHEN TAG IN (${p.tags.map(literal).join(", ")})` : "";
  return `CREATE EVENT TRIGGER ${nameOf(change, side)} ON ${String(p.event)}${tags} EXECUTE FUNCTION ${extraText(side.facts, "functionSql") ?? String(p.function)}()`;
}

function firing(change: ObjectChange, side: Side, previous: unknown): DiffStatement[] {
  const state = String(side.object.props.enabled ?? "enabled");
  if (state === String(previous ?? "enabled")) return [];
  return [statementOf(change, `ALTER EVENT TRIGGER ${nameOf(change, side)} ${FIRING[state] ?? "ENABLE"}`, "alter")];
}

export const diffEventTrigger: Differ = (change) => {
  const { from, to } = change;
  if (from && !to) return { statements: [statementOf(change, `DROP EVENT TRIGGER ${nameOf(change, from)}`, "drop")] };
  if (!to) return { statements: [] };
  const create = [statementOf(change, createSql(change, to), "create"), ...firing(change, to, "enabled")];
  if (!from) return { statements: create };
  const { enabled: _a, ...before } = from.object.props;
  const { enabled: _b, ...after } = to.object.props;
  if (JSON.stringify(before) === JSON.stringify(after)) return { statements: firing(change, to, from.object.props.enabled) };
  return { statements: [statementOf(change, `DROP EVENT TRIGGER ${nameOf(change, from)}`, "drop"), ...create] };
};

export const eventTriggerDiffers = { eventTriggers: diffEventTrigger };
