import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { json, scenario } from "../support/scenario.js";

const SCHEMA = {
  "migrations/0001_settings.sql": "create table settings (key text primary key, value text not null);\ncreate table models (id serial primary key, name text not null, price numeric, note text);\n",
};

const SETTINGS_SEED = "insert into settings values ('theme', 'dark') on conflict (key) do update set value = excluded.value;\n";

async function seedRuns(s: Awaited<ReturnType<typeof scenario>>, name: string): Promise<{ checksum: string; applied_at: Date } | undefined> {
  const [row] = await s.db.sql`select checksum, applied_at from dbkit.migrations where name = ${name} and kind = 'seed'`;
  return row as { checksum: string; applied_at: Date } | undefined;
}

describe("seeds", () => {
  it("run after migrations, in name order, and again only when their content changes", async () => {
    const s = await scenario({
      ...SCHEMA,
      "seeds/02_more.sql": "insert into settings values ('order', (select value from settings where key = 'theme')) on conflict do nothing;\n",
      "seeds/01_settings.sql": SETTINGS_SEED,
    });
    const first = await s.dbkit(["migrate"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/applied 0001_settings[\s\S]*seeded 01_settings.sql[\s\S]*seeded 02_more.sql/);
    const [order] = await s.db.sql`select value from settings where key = 'order'`;
    expect(order?.value).toBe("dark"); // 01 ran before 02

    const firstRun = await seedRuns(s, "01_settings.sql");
    const again = await s.dbkit(["migrate"]);
    expect(again.stdout).toContain("nothing to apply");
    expect((await seedRuns(s, "01_settings.sql"))?.applied_at).toEqual(firstRun?.applied_at);

    await writeFile(`${s.dir}/seeds/01_settings.sql`, SETTINGS_SEED.replace("'dark'", "'light'"));
    const status = await s.dbkit(["status", "--check"]);
    expect(status.code).toBe(6);
    expect(status.stdout).toMatch(/01_settings.sql\s+changed/);
    const changed = await s.dbkit(["migrate"]);
    expect(changed.stdout).toContain("seeded 01_settings.sql");
    expect(changed.stdout).not.toContain("02_more.sql");
    const [theme] = await s.db.sql`select value from settings where key = 'theme'`;
    expect(theme?.value).toBe("light");
    expect((await seedRuns(s, "01_settings.sql"))?.checksum).not.toBe(firstRun?.checksum);
  });

  it("a `seed once` seed never runs again; a change to it is reported, not run", async () => {
    const s = await scenario({ ...SCHEMA, "seeds/admin.sql": "-- dbkit:seed once\ninsert into settings values ('admin', 'alice');\n" });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    await writeFile(`${s.dir}/seeds/admin.sql`, "-- dbkit:seed once\ninsert into settings values ('admin', 'bob');\n");
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('seeds/admin.sql changed after it ran, but it is a "seed once" seed: not run again');
    const rows = await s.db.sql`select value from settings where key = 'admin'`;
    expect(rows.map((r) => r.value)).toEqual(["alice"]);
    const status = await s.dbkit(["status", "--check"]);
    expect(status.code).toBe(5);
    expect(status.stdout).toMatch(/admin.sql\s+changed \(once\)/);
  });

  it("--no-seed skips seeds and `dbkit seed` runs them alone", async () => {
    const s = await scenario({ ...SCHEMA, "seeds/settings.sql": SETTINGS_SEED });
    const migrated = await s.dbkit(["migrate", "--no-seed"]);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).not.toContain("seeded");
    expect(await s.db.sql`select * from settings`).toHaveLength(0);
    const seeded = await s.dbkit(["seed", "--json"]);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(json(seeded)).toMatchObject({ command: "seed", applied: [{ name: "settings.sql" }] });
    expect(await s.db.sql`select * from settings`).toHaveLength(1);
  });

  it("loads pg_dump --data-only files through COPY, escapes and NULLs included", async () => {
    const dump = [
      "--",
      "-- PostgreSQL database dump",
      "--",
      "SET statement_timeout = 0;",
      "SET client_encoding = 'UTF8';",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      "",
      "COPY public.models (id, name, price, note) FROM stdin;",
      "1\tgemini-2.0-flash\t0.10\t\\N",
      "2\tgpt-4o\t2.50\ttabs\\there and a backslash \\\\ and ünïcode",
      "3\tclaude-3-5-sonnet\t3.00\tline\\nbreak",
      "\\.",
      "",
      "COPY public.settings (key, value) FROM stdin;",
      "default_model\tgpt-4o",
      "\\.",
      "",
      "SELECT pg_catalog.setval('public.models_id_seq', 3, true);",
      "",
    ].join("\n");
    const s = await scenario({ ...SCHEMA, "seeds/data.sql": dump });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    const models = await s.db.sql`select id, name, price::text, note from public.models order by id`;
    expect(models).toEqual([
      { id: 1, name: "gemini-2.0-flash", price: "0.10", note: null },
      { id: 2, name: "gpt-4o", price: "2.50", note: "tabs\there and a backslash \\ and ünïcode" },
      { id: 3, name: "claude-3-5-sonnet", price: "3.00", note: "line\nbreak" },
    ]);
    const [next] = await s.db.sql`select nextval('public.models_id_seq')::int as id`;
    expect(next?.id).toBe(4);
  });

  it("loads a COPY seed of 100k rows", async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i + 1}\tmodel-${i}\t${(i % 100) / 10}\tnote ${i}`);
    const s = await scenario({ ...SCHEMA, "seeds/big.sql": `COPY public.models (id, name, price, note) FROM stdin;\n${rows.join("\n")}\n\\.\n` });
    const result = await s.dbkit(["migrate"]);
    expect(result.code, result.stderr).toBe(0);
    const [count] = await s.db.sql`select count(*)::int as n, max(id) as max from public.models`;
    expect(count).toEqual({ n: 100_000, max: 100_000 });
  });

  it("includes files with \\i and \\ir relative to the seed, and re-runs when an included file changes", async () => {
    const s = await scenario({
      ...SCHEMA,
      "seeds/all.sql": "\\i parts/one.sql\n\\ir parts/two.sql\n",
      "seeds/parts/one.sql": "insert into settings values ('one', '1') on conflict (key) do update set value = excluded.value;\n",
      "seeds/parts/two.sql": "insert into settings values ('two', '2') on conflict (key) do update set value = excluded.value;\n",
    });
    expect((await s.dbkit(["migrate"])).code).toBe(0);
    expect((await s.db.sql`select key from settings order by key`).map((r) => r.key)).toEqual(["one", "two"]);
    await writeFile(`${s.dir}/seeds/parts/two.sql`, "insert into settings values ('two', 'II') on conflict (key) do update set value = excluded.value;\n");
    const rerun = await s.dbkit(["migrate"]);
    expect(rerun.stdout).toContain("seeded all.sql");
    const [two] = await s.db.sql`select value from settings where key = 'two'`;
    expect(two?.value).toBe("II");
  });

  it("refuses other psql meta-commands with file and line, and rolls that seed back whole", async () => {
    // Seeds are read once, as they run: the meta-command is found in that pass (the migrations, each committed, stay).
    const s = await scenario({ ...SCHEMA, "seeds/a.sql": SETTINGS_SEED, "seeds/b.sql": "insert into settings values ('b', '1');\n\\gset\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("seeds/b.sql:2: \\gset is a psql meta-command");
    expect(await s.db.sql`select key from settings order by key`).toEqual([{ key: "theme" }]);
    expect(await seedRuns(s, "b.sql")).toBeUndefined();
    expect(await seedRuns(s, "a.sql")).toBeDefined();
  });

  it("a failing seed rolls back whole and points at file and line, also for COPY data", async () => {
    const s = await scenario({ ...SCHEMA, "seeds/bad.sql": "insert into settings values ('a', '1');\n\ninsert into settings values ('b', null);\n" });
    const result = await s.dbkit(["migrate", "--json"]);
    expect(result.code).toBe(4);
    expect(json(result).error).toMatchObject({ code: "DBKIT_MIGRATION_FAILED", details: { file: "seeds/bad.sql", sqlstate: "23502" } });
    expect(await s.db.sql`select * from settings`).toHaveLength(0);
    expect(await s.db.sql`select name from dbkit.migrations where kind = 'seed'`).toHaveLength(0);

    await writeFile(`${s.dir}/seeds/bad.sql`, "insert into settings values ('a', '1');\nCOPY public.models (id, name) FROM stdin;\n1\tok\n2\tok\nnot-a-number\toops\n\\.\n");
    const copy = await s.dbkit(["migrate"]);
    expect(copy.code).toBe(4);
    expect(copy.stderr).toContain("seeds/bad.sql:5:1: invalid input syntax for type integer");
    expect(await s.db.sql`select * from settings`).toHaveLength(0);
  });

  it("reports a syntax error inside a seed at the right line", async () => {
    const s = await scenario({ ...SCHEMA, "seeds/typo.sql": "COPY public.settings (key, value) FROM stdin;\nk\tv\n\\.\n\nselect 1;\nselec 2;\n" });
    const result = await s.dbkit(["migrate"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("seeds/typo.sql:6:1: syntax error");
  });
});
