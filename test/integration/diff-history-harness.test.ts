/**
 * The history round trip harness itself (bench/diff-history-lib.mjs), with stand-in engines: one
 * that writes each step's own migration file must reproduce every step, one that writes nothing
 * must reproduce none, and the differences it reports name the objects the step changed.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readHistory, roundTrip, upSection, type Engine } from "../../bench/diff-history-lib.mjs";
import { serverUrl } from "../support/databases.js";

const CORPUS = fileURLToPath(new URL("../fixtures/corpus", import.meta.url));

/** Writes what the step's file says: the exact answer. */
const replay: Engine = {
  name: "replay",
  command: "the step's own file",
  plan: async ({ files }) => ({ segments: [{ sql: upSection(files.at(-1)?.text ?? ""), transactional: true }] }),
};
const nothing: Engine = { name: "nothing", command: "no SQL", plan: async () => ({ segments: [] }) };
const failing: Engine = { name: "failing", command: "an engine that exits 1", plan: async () => ({ error: "exit 1: boom" }) };

describe("the history round trip harness", () => {
  it("reproduces every step with the step's own file and none with no SQL (drizzle-blog)", { timeout: 300_000 }, async () => {
    const history = readHistory(path.join(CORPUS, "drizzle-blog"));
    const result = await roundTrip(history, serverUrl(), [replay, nothing, failing]);
    expect(result.steps.map((step) => step.file)).toEqual(history.files.map((file) => file.name));
    expect(result.steps.filter((step) => !step.results.replay?.reproduced).map((step) => [step.file, step.results.replay])).toEqual([]);
    expect(result.steps.filter((step) => step.results.nothing?.reproduced).map((step) => step.file)).toEqual([]);
    expect(result.steps.every((step) => step.results.failing?.error === "failing failed: exit 1: boom")).toBe(true);
    const renamed = result.steps.find((step) => step.file === "0003_rename_body.sql")?.results.nothing;
    expect(renamed?.differences).toEqual(expect.arrayContaining(["- column public.posts.content missing", "+ column public.posts.body extra"]));
  });

  it("builds every state of a Supabase folder on the Supabase base, the empty one too (supabase-chat)", { timeout: 300_000 }, async () => {
    const result = await roundTrip(readHistory(path.join(CORPUS, "supabase-chat")), serverUrl(), [replay]);
    expect(result.steps.filter((step) => !step.results.replay?.reproduced).map((step) => [step.file, step.results.replay])).toEqual([]);
  });
});
