/** A login role that may only read, for proving a command never writes. */
import { onTestFinished } from "vitest";
import type { TestDatabase } from "./databases.js";

export const READ_ONLY_PASSWORD = "ro-Password-1";

/**
 * `db`'s URL as a new role with SELECT on the public and dbkit schemas and
 * default_transaction_read_only on; the role is dropped when the test ends.
 */
export async function readOnlyUrl(db: TestDatabase): Promise<string> {
  const reader = `dbkit_ro_${Math.random().toString(36).slice(2, 8)}`;
  await db.sql.unsafe(
    `create role ${reader} login password '${READ_ONLY_PASSWORD}'; grant usage on schema public, dbkit to ${reader}; grant select on all tables in schema public, dbkit to ${reader}; alter role ${reader} set default_transaction_read_only = on`,
  );
  onTestFinished(() => db.sql.unsafe(`drop owned by ${reader}; drop role ${reader}`).then(() => undefined));
  const url = new URL(db.url);
  url.username = reader;
  url.password = READ_ONLY_PASSWORD;
  return url.toString();
}
