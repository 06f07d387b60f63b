/**
 * bin/dbkit.cjs compiles the bundle through V8's code cache. Each test runs a private copy of the
 * launcher and bundle, so the caches other test files write beside the real bundle do not matter.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function privateCopy(): Promise<{ bin: string; cacheDir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dbkit-launcher-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await cp(path.join(ROOT, "bin/dbkit.cjs"), path.join(dir, "bin/dbkit.cjs"));
  await cp(path.join(ROOT, "dist/bundle/cli.cjs"), path.join(dir, "dist/bundle/cli.cjs"));
  // The bundle finds its version as `dbkit/package.json`, and its lazily loaded dependencies.
  await cp(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return { bin: path.join(dir, "bin/dbkit.cjs"), cacheDir: path.join(dir, "dist/bundle/code-cache") };
}

async function version(bin: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, "--version"], { env: { ...process.env, ...env } });
  return stdout.trim();
}

const cacheFiles = (dir: string) => readdir(dir).catch(() => [] as string[]);

describe("the launcher's code cache", () => {
  it("is written by the first run of a command and kept by the next", async () => {
    const { bin, cacheDir } = await privateCopy();
    const expected = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")).version;
    expect(await version(bin)).toBe(expected);
    const [file, ...others] = await cacheFiles(cacheDir);
    expect(others).toEqual([]);
    expect(file).toMatch(new RegExp(`^none-${process.version.replace(/\./g, "\\.")}-${process.arch}-\\d+-\\d+\\.bin$`));
    const written = await readFile(path.join(cacheDir, file!));
    expect(await version(bin)).toBe(expected);
    // An accepted cache is not rewritten.
    expect((await readFile(path.join(cacheDir, file!))).equals(written)).toBe(true);
  });

  it("replaces a cache V8 rejects, and the CLI still runs", async () => {
    const { bin, cacheDir } = await privateCopy();
    await version(bin);
    const [file] = await cacheFiles(cacheDir);
    const garbage = Buffer.from("not a V8 code cache");
    await writeFile(path.join(cacheDir, file!), garbage);
    expect(await version(bin)).toMatch(/^\d+\.\d+\.\d+/);
    const replaced = await readFile(path.join(cacheDir, file!));
    expect(replaced.equals(garbage)).toBe(false);
    expect(replaced.length).toBeGreaterThan(1000);
  });

  it("is neither read nor written with DBKIT_NO_COMPILE_CACHE=1", async () => {
    const { bin, cacheDir } = await privateCopy();
    expect(await version(bin, { DBKIT_NO_COMPILE_CACHE: "1" })).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cacheFiles(cacheDir)).toEqual([]);
  });
});
