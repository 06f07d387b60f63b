/**
 * The guard for postgres.js's write to a closed socket must recognise the fault as the bundled CLI
 * throws it: the bundle keeps function names but not the driver's source paths.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { isDriverSocketCrash } from "../../dist/db/driver-guard.js";

const BUNDLE = fileURLToPath(new URL("../../dist/bundle/cli.cjs", import.meta.url));

/** Runs the bundle's own nextWrite with a closed (null) socket, as the driver does after a cut. */
function crashInBundledDriver(): unknown {
  const source = readFileSync(BUNDLE, "utf8");
  const nextWrite = /\n( *)function nextWrite\d*\(fn\) \{\n[\s\S]*?\n\1\}\n/.exec(source);
  expect(nextWrite, "the bundle has postgres.js's nextWrite").not.toBeNull();
  const name = /function (nextWrite\d*)/.exec(nextWrite![0])![1];
  // Same file name and line as in the bundle, so the stack looks exactly like the CLI's.
  const line = source.slice(0, nextWrite!.index + 1).split("\n").length - 1;
  const code = `${"\n".repeat(line)}let socket = null, chunk = Buffer.from("x"), nextWriteTimer = null;${nextWrite![0]}${name}`;
  const fn = new vm.Script(code, { filename: BUNDLE }).runInNewContext({ Buffer, clearImmediate }) as () => void;
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("the driver-fault guard against the bundled CLI", () => {
  it("recognises the write to a null socket thrown by the bundle's driver code", () => {
    const error = crashInBundledDriver();
    expect(String(error)).toMatch(/Cannot read properties of null \(reading 'write'\)/);
    // vm contexts have their own TypeError; the guard sees the real one in the CLI.
    const same = Object.assign(new TypeError((error as Error).message), { stack: (error as Error).stack });
    expect(same.stack).toContain("dist/bundle/cli.cjs");
    expect(isDriverSocketCrash(same)).toBe(true);
  });

  it("does not take the same message from dbkit's own code for the driver fault", () => {
    const own = new TypeError("Cannot read properties of null (reading 'write')");
    own.stack = `TypeError: ${own.message}\n    at renderReport (/x/dist/bundle/cli.cjs:100:5)\n    at nextWrite (/x/dist/bundle/cli.cjs:10753:24)`;
    expect(isDriverSocketCrash(own)).toBe(false);
  });
});
