/**
 * The history round trip of `dbkit diff` (bench/diff-history-lib.mjs): for every step of a
 * migration folder, the SQL dbkit writes from the state before the step to the state after it,
 * applied to a copy of the state before, gives a schema verify finds identical to the state after.
 * `npm run bench:diff-history` runs the same steps with @supabase/pg-delta and @pgkit/migra too.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dbkit } from "../../bench/diff-history-engines.mjs";
import { failureReport, readHistory, roundTrip, share, type RoundTripResult } from "../../bench/diff-history-lib.mjs";
import { serverUrl } from "../support/databases.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CORPUS = path.join(ROOT, "test/fixtures/corpus");

const failing = (result: RoundTripResult) => result.steps.filter((step) => !step.results.dbkit?.reproduced);

describe("dbkit diff reproduces the history of a migration folder step by step", () => {
  it("every step of the example project", { timeout: 300_000 }, async () => {
    const history = readHistory(ROOT);
    const result = await roundTrip(history, serverUrl(), [dbkit]);
    expect(result.steps).toHaveLength(history.files.length);
    expect(failing(result).map((step) => step.file), failureReport(result, "dbkit")).toEqual([]);
  });

  it("at least 95 % of the steps of the corpus (folders written the way Supabase, drizzle-kit and dbmate projects are)", { timeout: 900_000 }, async () => {
    const results: RoundTripResult[] = [];
    for (const name of readdirSync(CORPUS).sort()) results.push(await roundTrip(readHistory(path.join(CORPUS, name)), serverUrl(), [dbkit]));
    const steps = results.reduce((sum, result) => sum + result.steps.length, 0);
    const reproduced = results.reduce((sum, result) => sum + result.steps.length - failing(result).length, 0);
    const report = `reproduced ${share(reproduced, steps)}; failing steps:\n${results.map((result) => failureReport(result, "dbkit")).join("")}`;
    expect(steps).toBeGreaterThanOrEqual(30);
    expect(reproduced / steps, report).toBeGreaterThanOrEqual(0.95);
  });
});
