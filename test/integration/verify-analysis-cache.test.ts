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

  it("keeps whether the project is a Supabase one in the cache: a warm run parses nothing, a changed file decides again", async () => {
    // The comment mentions a Supabase role, so the file is parsed to decide; nothing in it uses one.
    const s = await scenario({ "migrations/0001_notes.sql": "-- readable by authenticated users later\ncreate table public.notes (id int);\n" });
    const security = () => s.dbkit(["verify", "--security"]);
    const first = await security();
    expect(first.stderr).toContain("not a Supabase project (no supabase/config.toml");
    const cacheDir = path.join(s.dir, ".dbkit", "verify-cache");
    const [detectionFile] = readdirSync(cacheDir).filter((name) => name.startsWith("supabase-detection-"));
    expect(detectionFile).toBeDefined();

    // The cached verdict is what the next run uses: a reason written into it shows in the output.
    const cached = path.join(cacheDir, detectionFile!);
    const stored = JSON.parse(readFileSync(cached, "utf8")) as { value: { supabase: boolean; reason: string } };
    writeFileSync(cached, JSON.stringify({ value: { ...stored.value, reason: "from the cache" } }));
    expect((await security()).stderr).toContain("not a Supabase project (from the cache)");

    // A changed file is another key: parsed again.
    writeFileSync(path.join(s.dir, "migrations", "0001_notes.sql"), "create table public.notes (id int);\ngrant select on public.notes to authenticated;\n");
    expect((await security()).stderr).toContain("security checks of a Supabase project (migrations/0001_notes.sql:2");
  });
});
