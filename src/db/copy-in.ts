/** COPY ... FROM stdin through postgres.js, streaming rows with backpressure. */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type postgres from "postgres";

/**
 * Streams `rows` (one line of COPY text each) into `statement`. postgres.js resolves the query
 * with the stream as soon as COPY starts, so a server error that arrives after the last row
 * (bad data in the final rows, a constraint) would only reach the already-settled query
 * promise and be lost; its reject is wrapped to surface that error here.
 */
export async function copyIn(sql: postgres.Sql | postgres.TransactionSql, statement: string, rows: AsyncIterable<string>): Promise<void> {
  const query = sql.unsafe(statement) as postgres.PendingQuery<postgres.Row[]> & { reject: (error: unknown) => void };
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const reject = query.reject;
  query.reject = (error) => {
    fail(error);
    reject(error);
  };
  const stream = (await query.writable()) as unknown as NodeJS.WritableStream & import("node:stream").Writable;
  const ended = Promise.race([finished(stream), failed]);
  ended.catch(() => undefined);
  for await (const row of rows) {
    if (!stream.write(`${row}\n`)) await Promise.race([once(stream, "drain"), failed]);
  }
  stream.end();
  await ended;
}
