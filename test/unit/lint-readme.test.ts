/** The README's Lint section documents every code lint can report. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LINT_RULES } from "../../src/core/lint-rules.js";
import { POLICY_CHECKS } from "../../src/core/lint-policies.js";
import { ADVISOR_TEXT } from "../../src/db/lint-advisor.js";
import { EXPOSED_TEXT } from "../../src/db/lint-advisor-api.js";

describe("lint's codes in the README", () => {
  it("lists each rule and advisor code with its level in a table row of the Lint section", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Lint"), readme.indexOf("\n## ", readme.indexOf("## Lint") + 1));
    const levels: Record<string, string> = {
      ...Object.fromEntries(Object.entries(LINT_RULES).map(([code, rule]) => [code, rule.level])),
      ...Object.fromEntries(Object.entries(POLICY_CHECKS).map(([code, check]) => [code, check.level])),
      ...Object.fromEntries(Object.entries(ADVISOR_TEXT).map(([code, text]) => [code, text.level])),
      ...Object.fromEntries(Object.entries(EXPOSED_TEXT).map(([code, text]) => [code, text.level])),
    };
    expect(Object.keys(levels).length).toBeGreaterThanOrEqual(24);
    const undocumented = Object.entries(levels).filter(([code, level]) => !section.split("\n").some((line) => line.startsWith("|") && line.includes(`\`${code}\``) && line.includes(`| ${level} |`)));
    expect(undocumented).toEqual([]);
  });
});
