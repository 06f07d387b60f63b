/**
 * `dbkit psql`: psql on the project's database, the embedded one by default, so a developer can
 * look around without knowing its port or password. Without psql installed it prints the URL to
 * use and keeps the embedded server running until Ctrl-C (or, when `dbkit start` keeps one
 * running, just prints its URL). No password is printed: the embedded
 * database's generated one is in .dbkit/password, which the message names.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { environmentWith } from "../config/child-env.js";
import { parseConnectionUrl } from "../core/connection-url.js";
import { resultDoc } from "./shared/result.js";
import { UsageError } from "../errors.js";
import type { CommandContext } from "./shared/context.js";
import type { Interrupts } from "./shared/interrupts.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { findKeptServer } from "../local/kept-server.js";
import { startOwnServer } from "./shared/own-server.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("psql [psql-args...]")
      .description("open psql on the database (the embedded one by default); without psql, print its URL")
      .addHelpText("after", "\nExamples:\n  $ dbkit psql\n  $ dbkit psql -- -c 'select count(*) from profiles'\n"),
  input: lazySchema(() => z.object({ args: z.tuple([z.array(z.string())]) })),
  run: (context, { args: [psqlArgs] }) => psqlCommand(context, psqlArgs),
});

export async function psqlCommand({ settings, output, run }: CommandContext, psqlArgs: string[]): Promise<number> {
  let url = settings.databaseUrl?.value;
  let stop: (() => Promise<void>) | undefined;
  // The embedded default: the server `dbkit start` keeps running, if any, which stays up after psql.
  const kept = url ? undefined : findKeptServer(settings.stateDir);
  if (kept) url = kept.url();
  if (!url) {
    const server = await startOwnServer(settings, run);
    const forget = run.interrupts.add(() => server.stop());
    url = server.url();
    stop = async () => {
      forget();
      await server.stop();
    };
  }
  const embedded = settings.databaseUrl === undefined;
  const parsed = parseConnectionUrl(url);
  if (!parsed.ok) throw new UsageError("DBKIT_INVALID_URL", `the database URL is not valid: ${parsed.reason}`);
  output.target({ ...parsed.url, embedded }, settings.databaseUrl?.source ?? "embedded");
  try {
    const { password } = parsed.url;
    const exit = await runPsql(urlWithoutPassword(url, password), psqlArgs, password, run.interrupts);
    if (exit !== "not-installed") return exit;
    if (!embedded) {
      // A configured database: its password stays where the user keeps it.
      output.result(resultDoc("psql", { psql: false, url: urlWithoutPassword(url, password) }, []), () =>
        `psql is not installed; connect your client to ${urlWithoutPassword(url!, password)}${password ? " (password as in your configuration)" : ""}`,
      );
      return 0;
    }
    const shown = urlWithoutPassword(url, password);
    const passwordFile = path.relative(settings.cwd, path.join(settings.stateDir, "password"));
    // A server of this command's own is kept up until Ctrl-C; the kept one runs until `dbkit stop`.
    const until = stop ? "press Ctrl-C to stop it" : "it runs until `dbkit stop`";
    output.result(resultDoc("psql", { psql: false, url: shown, passwordFile }, []), () => `psql is not installed; the embedded database is running at\n${shown}\n(password in ${passwordFile}); ${until}`);
    if (stop) await run.interrupts.servingUntilInterrupted();
    return 0;
  } finally {
    await stop?.();
  }
}

/** Runs psql in the terminal; its exit code, or "not-installed". Ctrl-C belongs to psql meanwhile. */
function runPsql(url: string, args: string[], password: string | undefined, interrupts: Interrupts): Promise<number | "not-installed"> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, ...args], { stdio: "inherit", env: environmentWith(password === undefined ? {} : { PGPASSWORD: password }) });
    const release = interrupts.childOwnsTerminal();
    child.on("error", (error: NodeJS.ErrnoException) => {
      release();
      if (error.code === "ENOENT") resolve("not-installed");
      else reject(error);
    });
    child.on("exit", (code, signal) => {
      release();
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
  });
}

function urlWithoutPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}
