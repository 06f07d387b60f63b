import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createProject, runCli } from "../support/project.js";
import { json } from "../support/scenario.js";

describe("dbkit init and dbkit new", () => {
  it("init creates the project files, never overwrites, and says what it skipped", async () => {
    const dir = await createProject({ ".gitignore": "node_modules/\n", "dbkit.config.json": '{ "lockTimeout": "9s" }\n' });
    const result = await runCli(["init"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("created seeds/");
    expect(result.stdout).toContain("skipped dbkit.config.json (already there)");
    expect(result.stdout).toContain("updated .gitignore (.dbkit/)");
    expect(result.stdout).toContain("updated .gitignore (.env)");
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe("node_modules/\n.dbkit/\n.env\n");
    expect(readFileSync(path.join(dir, ".gitattributes"), "utf8")).toBe("*.sql text eol=lf\n");
    expect(readFileSync(path.join(dir, "dbkit.config.json"), "utf8")).toBe('{ "lockTimeout": "9s" }\n');
    expect(readFileSync(path.join(dir, ".env.example"), "utf8")).toContain("DATABASE_URL=");
    const again = await runCli(["init", "--json"], { cwd: dir });
    expect(json(again)).toMatchObject({ command: "init", created: [], updated: [] });
  });

  it("init writes a commented config that dbkit itself accepts", async () => {
    const dir = await createProject({});
    await runCli(["init"], { cwd: dir });
    const config = readFileSync(path.join(dir, "dbkit.config.json"), "utf8");
    expect(config).toContain("// Folder of <version>_<name>.sql migrations");
    const status = await runCli(["status", "--url", "postgres://u:p@127.0.0.1:1/db"], { cwd: dir });
    expect(status.stderr).not.toContain("dbkit.config.json"); // parsed fine; fails only on the connection
    expect(status.code).toBe(3);
  });

  it("init detects a Supabase project", async () => {
    const dir = await createProject({ "supabase/config.toml": "" });
    const result = await runCli(["init"], { cwd: dir });
    expect(result.stdout).toContain("configured for the Supabase layout");
    expect(existsSync(path.join(dir, "supabase", "migrations"))).toBe(true);
    // No folders in the config: the layout (and config.toml's seeds) stay in charge.
    expect(readFileSync(path.join(dir, "dbkit.config.json"), "utf8")).not.toContain('"seedsDir"');
    expect(readFileSync(path.join(dir, "dbkit.config.json"), "utf8")).toContain('"supabase": true');
  });

  it("new creates the next migration after the folder's convention and prints its path", async () => {
    const dir = await createProject({ "migrations/0001_tables.sql": "select 1;\n", "migrations/0002_functions.sql": "select 1;\n" });
    const result = await runCli(["new", "Add", "RLS", "policies"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(path.join("migrations", "0003_add_rls_policies.sql"));
    expect(readFileSync(path.join(dir, "migrations", "0003_add_rls_policies.sql"), "utf8")).toMatch(/^-- Migration: Add RLS policies\n/);
    const timestamped = await createProject({});
    const stamped = await runCli(["new", "init"], { cwd: timestamped });
    expect(stamped.stdout.trim()).toMatch(/^migrations\/\d{14}_init\.sql$/);
    const seed = await runCli(["new", "--seed", "App settings"], { cwd: dir });
    expect(seed.stdout.trim()).toBe(path.join("seeds", "app_settings.sql"));
    expect(readdirSync(path.join(dir, "seeds"))).toEqual(["app_settings.sql"]);
  });

  it("new refuses a name with nothing usable and never overwrites", async () => {
    const dir = await createProject({ "seeds/app_settings.sql": "keep me\n" });
    expect((await runCli(["new", "!!!"], { cwd: dir })).code).toBe(2);
    const exists = await runCli(["new", "--seed", "app settings"], { cwd: dir });
    expect(exists.code).toBe(2);
    expect(exists.stderr).toContain("seeds/app_settings.sql already exists");
    expect(readFileSync(path.join(dir, "seeds", "app_settings.sql"), "utf8")).toBe("keep me\n");
  });
});
