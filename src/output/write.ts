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

/**
 * Whether everything written to stdout and stderr so far has left the process, once it has. A
 * pipe takes 64 KiB at once and Node queues the rest, which `process.exit` drops: the CLI waits
 * for this before it exits. False when a write failed (a pipe its reader closed, as `| head` does).
 */
export async function outputWritten(): Promise<boolean> {
  const [out, err] = await Promise.all([written(process.stdout), written(process.stderr)]);
  return out && err;
}

function written(stream: NodeJS.WriteStream): Promise<boolean> {
  if (stream.writableLength === 0) return Promise.resolve(!stream.errored);
  // The command is over: a reader gone now (`| head` has what it wanted) is no error to report,
  // only an exit code, as for a process that SIGPIPE ends.
  stream.on("error", () => undefined);
  // An empty write's callback runs once every write before it is done, or has failed.
  return new Promise((resolve) => stream.write("", (error) => resolve(!error)));
}
