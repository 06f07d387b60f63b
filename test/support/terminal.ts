/**
 * Runs dbkit in a pseudo-terminal through util-linux `script`, so that it sees a TTY (spinners,
 * prompts, raw mode) and so that typed keys (Ctrl-C, Ctrl-D) go through the terminal's line
 * discipline exactly as they would in a person's terminal.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { BIN, cliEnv } from "./project.js";

export const HAS_SCRIPT = existsSync("/usr/bin/script");

export const CTRL_C = "\x03";
export const CTRL_D = "\x04";

export interface TerminalRun {
  /** Everything the terminal showed so far (stdout and stderr together, as on a screen). */
  readonly output: () => string;
  /** Resolves when the screen shows `pattern`; fails after 60 s with what was seen. */
  waitFor(pattern: RegExp | string): Promise<void>;
  /** Types keys into the terminal. */
  type(keys: string): void;
  exit: Promise<{ code: number | null; output: string }>;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export function dbkitInTerminal(args: string[], options: { cwd: string; env?: Record<string, string> }): TerminalRun {
  // A pty made by `script` without a terminal around it has 0 columns; spinners need a width.
  // `exec` so the shell does not stay between the terminal and dbkit (it would die on Ctrl-C too).
  const command = `stty cols 100 rows 30; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(" ")}`;
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: options.cwd, env: cliEnv(options.env) });
  let output = "";
  const waiters = new Set<() => void>();
  child.stdout.on("data", (chunk) => {
    output += chunk;
    for (const check of [...waiters]) check();
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const exit = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    }),
  );
  return {
    output: () => output,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const matches = () => (typeof pattern === "string" ? output.includes(pattern) : pattern.test(output));
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the terminal never showed ${String(pattern)}; it showed: ${output.slice(-2000)}`));
        }, 60_000);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    type: (keys) => child.stdin.write(keys),
    exit,
  };
}
