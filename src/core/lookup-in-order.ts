/**
 * Finding names in a list that is usually asked for in its own order (a folder's files against
 * the previous run's record of them, files against the journal's rows): the position after the
 * last one found is tried first, and the names are indexed only on a miss, so a run over
 * thousands of names in the same order builds no map.
 */

/** A lookup of `name`'s position among `count` names (`nameAt`), or -1. */
export function lookupInOrder(count: number, nameAt: (index: number) => string): (name: string) => number {
  let next = 0;
  let byName: Map<string, number> | undefined;
  return (name) => {
    let at = next < count && nameAt(next) === name ? next : -1;
    if (at < 0) {
      if (!byName) {
        byName = new Map();
        for (let index = 0; index < count; index++) byName.set(nameAt(index), index);
      }
      at = byName.get(name) ?? -1;
      if (at < 0) return -1;
    }
    next = at + 1;
    return at;
  };
}
