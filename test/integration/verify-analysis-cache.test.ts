import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverUrl } from "../support/databases.js";
import { scenario } from "../support/scenario.js";

const PROJECT = {
  "migrations/0001_tables.sql": "create table public.notes (id bigint generated always as identity primary key, owner text not null);\n",
  "migrations/0002_indexes.sql": "create index notes_owner_idx on public.notes (owner);\n",
};

describe("verify's analysis of the migrations", () => {
  it("comes from the cache on a warm run (no parse), and is made again when a migration changes", async () => {
    const s = await scenario(PROJECT);
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    const verify = () => s.dbkit(["verify", "--shadow-url", serverUrl()]);
    expect((await verify()).code).toBe(0);
    const cacheDir = path.join(s.dir, ".dbkit", "verify-cache");
    const [analysisFile] = readdirSync(cacheDir).filter((name) => name.startsWith("analysis-"));
    expect(analysisFile).toBeDefined();

    // The cached analysis is what the warm run uses: an attribution written into it shows in the report.
    const cached = path.join(cacheDir, analysisFile!);
    writeFileSync(cached, readFileSync(cached, "utf8").replaceAll("migrations/0002_indexes.sql", "from-the-cache.sql"));
    await s.db.sql.unsafe("drop index public.notes_owner_idx");
    const warm = await verify();
    expect(warm.code).toBe(5);
    expect(warm.stdout).toContain("- index public.notes_owner_idx: missing (defined in from-the-cache.sql)");

    // A changed file is another key: parsed again, attributed from the files.
    writeFileSync(path.join(s.dir, "migrations", "0002_indexes.sql"), `-- edited\n${PROJECT["migrations/0002_indexes.sql"]}`);
    const changed = await verify();
    expect(changed.stdout).toContain("- index public.notes_owner_idx: missing (defined in migrations/0002_indexes.sql)");
    // --no-cache analyses again too.
    writeFileSync(path.join(s.dir, "migrations", "0002_indexes.sql"), PROJECT["migrations/0002_indexes.sql"]);
    const rebuilt = await s.dbkit(["verify", "--shadow-url", serverUrl(), "--no-cache"]);
    expect(rebuilt.stdout).toContain("(defined in migrations/0002_indexes.sql)");
  });
});
