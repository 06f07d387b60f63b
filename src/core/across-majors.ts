/**
 * How two Postgres majors print the same schema differently. verify builds the expected schema
 * on the target's own major where it can, so these apply only when they differ (--shadow-url on
 * another major). Each entry names the major that introduced the difference; view definitions
 * (Postgres 16 stopped qualifying columns in pg_get_viewdef) are compared by parse tree in
 * engine/verify.ts instead.
 */
import type { Catalog, CatalogObject } from "./catalog.js";

interface MajorDifference {
  /** The first major that prints it the new way; 0 for a difference between any two majors. */
  since: number;
  what: string;
  /** The object as both majors would print it, or undefined to leave it out of the comparison. */
  normalise(object: CatalogObject, partitions: ReadonlySet<string>): CatalogObject | undefined;
}

/** Grants on relations, and default privileges for tables: the ACLs that can hold MAINTAIN. */
const TABLE_ACL = /^privilege (table|view|materialized view|foreign table) |^default privileges.* on tables to /;

const DIFFERENCES: MajorDifference[] = [
  {
    since: 0,
    what: "each major ships its own default version of a contrib extension (citext 1.6 with 17, 1.8 with 18): CREATE EXTENSION without VERSION installs it",
    normalise: (o) => (o.category === "extensions" && "version" in o.props ? { ...o, props: { ...o.props, version: null } } : o),
  },
  {
    since: 15,
    what: "Postgres 15 no longer grants CREATE on schema public to PUBLIC",
    normalise: (o) => (o.key === "privilege schema public to PUBLIC" ? withoutPrivilege(o, "C") : o),
  },
  {
    since: 17,
    what: "Postgres 17 added the MAINTAIN privilege (m), which GRANT ALL on a table (and default privileges on tables) includes",
    normalise: (o) => (o.category === "privileges" && TABLE_ACL.test(o.key) ? withoutPrivilege(o, "m") : o),
  },
  {
    since: 17,
    what: "Postgres 17 gives each partition the identity of its partitioned table's column (attidentity); 15 and 16 leave the partition's column plain",
    normalise: (o, partitions) => (o.category === "columns" && o.props.identity && partitions.has(o.key.slice("column ".length, o.key.lastIndexOf("."))) ? { ...o, props: { ...o.props, identity: null } } : o),
  },
  {
    since: 18,
    what: "Postgres 18 records NOT NULL as constraints (contype n); attnotnull says the same on every major",
    normalise: (o) => (o.category === "constraints" && o.props.type === "n" ? undefined : o),
  },
];

/** Both catalogs as the older of the two majors prints them; unchanged when the majors are equal or unknown. */
export function comparableAcrossMajors(expected: Catalog, actual: Catalog, expectedMajor: number | undefined, actualMajor: number | undefined): [Catalog, Catalog] {
  if (!expectedMajor || !actualMajor || expectedMajor === actualMajor) return [expected, actual];
  const low = Math.min(expectedMajor, actualMajor);
  const high = Math.max(expectedMajor, actualMajor);
  const applying = DIFFERENCES.filter((d) => d.since === 0 || (low < d.since && d.since <= high));
  if (applying.length === 0) return [expected, actual];
  const normalise = (catalog: Catalog): Catalog => {
    const partitions = new Set(catalog.objects.filter((o) => o.category === "tables" && o.props.partitionOf).map((o) => o.key.slice("table ".length)));
    return {
      objects: catalog.objects.flatMap((object) => {
        let current: CatalogObject | undefined = object;
        for (const difference of applying) current = current && difference.normalise(current, partitions);
        return current ? [current] : [];
      }),
    };
  };
  return [normalise(expected), normalise(actual)];
}

function withoutPrivilege(object: CatalogObject, letter: string): CatalogObject | undefined {
  const privileges = String(object.props.privileges ?? "").split(letter).join("");
  return privileges ? { ...object, props: { ...object.props, privileges } } : undefined;
}
