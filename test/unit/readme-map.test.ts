/** The README's Development map names every folder of src/ and nothing that is gone. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);

describe("the README's map of the code", () => {
  it("lists each folder of src/ once, and only folders that exist", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const section = readme.slice(readme.indexOf("## Development"));
    const map = section.slice(section.indexOf("```") + 3, section.indexOf("```", section.indexOf("```") + 3));
    const listed = [...map.matchAll(/^src\/([\w-]+)\/ /gm)].map((match) => match[1]).sort();
    const folders = readdirSync(new URL("src/", root), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(listed).toEqual(folders);
  });
});
