// Types of bench/migra-route.mjs, for the integration test that imports it.
export const DIFFERENT: number;
export const ROUTE_STEPS: string[];
export function writeMigraRoute(
  dir: string,
  options: { psql: string; migra: string; migrationsDir: string; serverUrl: string; liveUrl: string; scratch: string },
): Promise<string>;
