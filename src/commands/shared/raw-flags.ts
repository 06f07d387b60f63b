/** Flags read from argv before commander parses it: the output of even a usage error depends on them. */
import { secretsOfUrl } from "../../core/connection-url.js";
import type { GlobalFlags } from "./context.js";

/** Global flags read before commander runs, so even a usage error honours --json and --no-color. */
export function rawGlobalFlags(argv: string[]): GlobalFlags {
  return { json: argv.includes("--json"), quiet: argv.includes("--quiet") || argv.includes("-q"), color: !argv.includes("--no-color"), verbose: argv.includes("--verbose") };
}

/** A password given with --url must be masked even in errors raised while parsing flags. */
export function rawSecrets(argv: string[]): string[] {
  const at = argv.findIndex((arg) => arg === "--url" || arg.startsWith("--url="));
  if (at === -1) return [];
  const value = argv[at]!.startsWith("--url=") ? argv[at]!.slice("--url=".length) : argv[at + 1];
  return value ? secretsOfUrl(value) : [];
}
