/** Colours for human output. chalk is imported only here; off for --no-color, NO_COLOR and non-TTYs. */
export interface Painter {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const asIs = (text: string) => text;

/** No colours: text as it is. */
export const plain: Painter = { red: asIs, green: asIs, yellow: asIs, cyan: asIs, dim: asIs, bold: asIs };

/** chalk is loaded only when colours are on: loading it costs every run 2 ms (CI has no TTY). */
export async function painter(enabled: boolean): Promise<Painter> {
  if (!enabled) return plain;
  const { Chalk } = await import("chalk");
  const chalk = new Chalk({ level: 1 });
  return {
    red: (t) => chalk.red(t),
    green: (t) => chalk.green(t),
    yellow: (t) => chalk.yellow(t),
    cyan: (t) => chalk.cyan(t),
    dim: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
  };
}
