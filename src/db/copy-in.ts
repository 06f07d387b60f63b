/** COPY ... FROM stdin through postgres.js, streaming rows with backpressure. */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type postgres from "postgres";

/**
 * Streams `chunks` (whole lines of COPY text, each ending in a newline) into `statement`, a chunk
 * per CopyData message: a megabyte of rows is one write to the socket, not one per row. postgres.js resolves the query
 * with the stream as soon as COPY starts, so a server error that arrives after the last row
 * (bad data in the final rows, a constraint) would only reach the already-settled query
 * promise and be lost; its reject is wrapped to surface that error here.
 */
export async function copyIn(sql: postgres.Sql | postgres.TransactionSql, statement: string, chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>): Promise<void> {
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
  for await (const chunk of chunks) {
    if (!stream.write(chunk)) await Promise.race([once(stream, "drain"), failed]);
  }
  stream.end();
  await ended;
}
