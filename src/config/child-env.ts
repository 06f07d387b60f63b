/** The environment of a program dbkit starts for the user (psql), with a few variables added. */
export function environmentWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
