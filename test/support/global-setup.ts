import type { TestProject } from "vitest/node";
import { startTestServer } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
  }
}

/** One server for the whole run; every test creates its own database on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  project.provide("serverUrl", server.url);
  return () => server.stop();
}
