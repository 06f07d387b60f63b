/** Raw writes for text that exists before the Output does (commander's help): output/ is the only writer to stdout. */
export function writeStdout(text: string): void {
  process.stdout.write(text);
}

/** Raw writes to stderr for text that exists before the Output does (bare `dbkit`'s help). */
export function writeStderr(text: string): void {
  process.stderr.write(text);
}

/** Colours are used only on a terminal: piped or redirected stderr gets plain text. */
export function stderrIsTerminal(): boolean {
  return Boolean(process.stderr.isTTY);
}
