import { describe, expect, it } from "vitest";
import { PIPELINE_WINDOW, pipelined } from "../../src/db/pipelined.js";

describe("pipelined sending", () => {
  it("yields every item in order with what was sent for it", () => {
    const items = Array.from({ length: 40 }, (_, i) => i);
    expect([...pipelined(items, (item, index) => `sent ${item} at ${index}`)]).toEqual(items.map((i) => [i, `sent ${i} at ${i}`]));
  });

  it("sends at most the window ahead of the item being consumed", () => {
    const sent: number[] = [];
    const items = Array.from({ length: 3 * PIPELINE_WINDOW }, (_, i) => i);
    for (const [item] of pipelined(items, (i) => sent.push(i))) {
      expect(sent.length).toBe(Math.min(items.length, item + PIPELINE_WINDOW));
    }
  });

  it("sends nothing more once the consumer stops", () => {
    const sent: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    for (const [item] of pipelined(items, (i) => sent.push(i))) if (item === 2) break;
    expect(sent).toHaveLength(PIPELINE_WINDOW + 2);
  });
});
