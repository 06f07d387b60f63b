import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (pure code and the engine with in-memory fakes; no database, no global
 * setup) and `integration` (the CLI and API against real Postgres, and the fault tests), which
 * starts one embedded server for the run.
 */
export default defineConfig({
  test: {
    pool: "forks",
    // Generous: the machine is shared, and a slow test is not a failed one.
    testTimeout: 60_000,
    // Two cores: integration tests spawn dbkit processes and share one Postgres server.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // One module graph for every unit file (no re-import per file): the unit run stays in seconds.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/faults/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
