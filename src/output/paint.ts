/** Colours for human output. chalk is imported only here; off for --no-color, NO_COLOR and non-TTYs. */
import { Chalk } from "chalk";

export interface Painter {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function paint(enabled: boolean): Painter {
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  return {
    red: (t) => chalk.red(t),
    green: (t) => chalk.green(t),
    yellow: (t) => chalk.yellow(t),
    cyan: (t) => chalk.cyan(t),
    dim: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
  };
}
