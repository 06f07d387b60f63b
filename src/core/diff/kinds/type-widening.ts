/**
 * Whether a column type change keeps every value (a widening): a longer varchar, varchar to text,
 * a bigger integer, more numeric precision. Anything else may fail or lose data.
 */
const INTEGERS = ["smallint", "integer", "bigint"];
const TEXTUAL = /^(character varying|character|varchar|bpchar)(\((\d+)\))?$/;

export function isWidening(from: string, to: string): boolean {
  if (from === to) return true;
  if (INTEGERS.includes(from) && INTEGERS.includes(to)) return INTEGERS.indexOf(to) > INTEGERS.indexOf(from);
  if (INTEGERS.includes(from) && (to === "numeric" || to === "text")) return true;
  if (from === "real" && to === "double precision") return true;
  const text = TEXTUAL.exec(from);
  if (text && to === "text") return true;
  const target = TEXTUAL.exec(to);
  if (text && target && text[1] === "character varying" && target[1] === "character varying") return target[3] === undefined || (text[3] !== undefined && Number(target[3]) >= Number(text[3]));
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/;
  const a = numeric.exec(from);
  const b = numeric.exec(to);
  if (a && b) return b[1] === undefined || (a[1] !== undefined && Number(b[1]) - Number(b[2]) >= Number(a[1]) - Number(a[2]) && Number(b[2]) >= Number(a[2]));
  if (from === "timestamp without time zone" && to === "timestamp with time zone") return true;
  return false;
}
