/** `--rename old=new` of dbkit diff, as the catalog keys the planner takes; and the hint that names a candidate that way. */
import type { RenameCandidate } from "../../core/diff/types.js";
import { UsageError } from "../../errors.js";

/**
 * `public.a=public.b` is a table, `public.t.a=public.t.b` a column; an unqualified table is in
 * public. Names as they are in the catalog (unquoted, exact case).
 */
export function parseRenames(values: readonly string[]): { from: string; to: string }[] {
  return values.map((value) => {
    const [oldName, newName, ...more] = value.split("=").map((part) => part.trim());
    const parts = (name: string | undefined) => (name ? name.split(".") : []);
    const o = parts(oldName);
    const n = parts(newName);
    if (more.length > 0 || o.length === 0 || o.length !== n.length || o.length > 3 || o.some((p) => !p) || n.some((p) => !p)) {
      throw new UsageError("DBKIT_USAGE", `--rename ${value}: write old=new, e.g. --rename public.orders=public.invoices (a table) or --rename public.orders.total=public.orders.amount (a column)`);
    }
    const qualified = (p: string[]) => (p.length === 1 ? `public.${p[0]}` : p.join("."));
    const kind = o.length === 3 ? "column" : "table";
    if (kind === "column" && o.slice(0, 2).join(".") !== n.slice(0, 2).join(".")) {
      throw new UsageError("DBKIT_USAGE", `--rename ${value}: a column keeps its table: write ${o.join(".")}=${o.slice(0, 2).join(".")}.${n[2]}`);
    }
    return { from: `${kind} ${qualified(o)}`, to: `${kind} ${qualified(n)}` };
  });
}

/** `--rename public.a=public.b` for a candidate. */
export function renameHint(candidate: RenameCandidate): string {
  const name = (key: string) => key.slice(key.indexOf(" ") + 1);
  return `--rename ${name(candidate.from)}=${name(candidate.to)}`;
}
