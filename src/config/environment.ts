/** What dbkit takes from the environment besides its settings (load-config.ts): config/ is the only reader of process.env. */

/** NO_COLOR (no-color.org): present and not empty turns colours off. */
export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.NO_COLOR);
}

/** CI=true (or any value but "false" and "0"), as CI services set it: nobody is there to answer a question. */
export function runningInCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/** The environment a child process (the embedded server's tools) inherits, with `overrides`. */
export function childProcessEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
