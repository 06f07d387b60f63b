/**
 * How many files are sent ahead of the one whose answer is awaited. The server always has the
 * next file waiting, and the queries in flight stay under postgres.js's max_pipeline (100): beyond
 * it queries wait in the driver's own queue, which it would send on a new connection if this one
 * broke, outside the transaction they were written for.
 */
export const PIPELINE_WINDOW = 16;

/**
 * Calls `send` for each item in order, at most PIPELINE_WINDOW ahead of the consumer, and yields
 * each item with what `send` returned, in order. Nothing more is sent once the consumer stops
 * (a break, or a throw while it awaits an answer).
 */
export function* pipelined<T, S>(items: readonly T[], send: (item: T, index: number) => S): Generator<[T, S]> {
  const ahead: [T, S][] = [];
  let next = 0;
  for (;;) {
    while (next < items.length && ahead.length < PIPELINE_WINDOW) {
      const item = items[next]!;
      ahead.push([item, send(item, next++)]);
    }
    const entry = ahead.shift();
    if (!entry) return;
    yield entry;
  }
}
