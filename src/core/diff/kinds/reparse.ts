/**
 * Expressions as Postgres prints them do not always parse back into the same tree. An IN list
 * on a varchar column (`kind IN ('a', 'b')`) prints as `((kind)::text = ANY ((ARRAY['a'::character
 * varying, 'b'::character varying])::text[]))`; parsed again, the cast moves into each element and
 * the constraint prints differently (pg_dump has the same problem). Written back as the IN list
 * it came from, it round-trips.
 */
const IN_LIST = /\(\(((?:"(?:[^"]|"")*"|VALUE|[a-z_][a-z0-9_$]*))\)::text (=|<>) (ANY|ALL) \(\(ARRAY\[((?:'(?:[^']|'')*'::character varying(?:, )?)+)\]\)::text\[\]\)\)/g;

export function reparsable(expression: string): string {
  return expression.replace(IN_LIST, (whole, column: string, op: string, quantifier: string, elements: string) => {
    if ((op === "=") !== (quantifier === "ANY")) return whole;
    return `(${column} ${op === "=" ? "IN" : "NOT IN"} (${elements}))`;
  });
}
