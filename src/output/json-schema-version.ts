/** Version of every --json document's shape (docs/json.md); bumped on incompatible changes. */
export const JSON_SCHEMA_VERSION = 1 as const;
