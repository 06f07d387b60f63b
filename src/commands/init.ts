/** `dbkit init`: migrations/, seeds/, a commented config, .env.example, .gitignore and .gitattributes entries. */
import { existsSync } from "node:fs";
import path from "node:path";
import { otherToolFolder } from "../config/tool-folders.js";
import { createDir, createFile, ensureLine, type ScaffoldResult } from "../fs/scaffold.js";
import { resultDoc } from "./shared/result.js";
import type { Output } from "../output/output.js";
import { defineCommand } from "./shared/command.js";
import { noFlags } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("init")
      .description("create migrations/, seeds/, dbkit.config.json, .env.example; add .dbkit/ and .env to .gitignore")
      .addHelpText("after", "\nExamples:\n  $ dbkit init          # in a project folder; with supabase/ present, configures for it\n"),
  bare: {},
  input: noFlags,
  run: ({ output }) => initCommand(output, process.cwd()),
});

function configText(supabase: boolean, toolFolder: string | undefined): string {
  return `{
  // dbkit settings. Flags and DBKIT_* environment variables override them; every key is optional.
  // The database URL is not kept here: it comes from --url, DATABASE_URL, POSTGRES_URL or
  // SUPABASE_DB_URL (environment or .env); with none, dbkit uses an embedded Postgres in .dbkit/.

${supabase ? SUPABASE_LAYOUT : toolFolder === PRISMA_FOLDER ? PRISMA_LAYOUT : toolFolder ? toolLayout(toolFolder) : PLAIN_LAYOUT}
  // Schema of the journal table (dbkit.migrations).
  "journalSchema": "dbkit",
  // lock_timeout inside each migration: a migration waits at most this long for a lock.
  "lockTimeout": "5s",
  // statement_timeout inside each migration ("0": none).
  "statementTimeout": "0"
}
`;
}

const PLAIN_LAYOUT = `  // Folder of <version>_<name>.sql migrations, applied in version order.
  "migrationsDir": "migrations",
  // Folder of seed .sql files, run after migrations when new or changed.
  "seedsDir": "seeds",`;

// Prisma's folder as it is: a migrations/ folder beside it would be read instead, and found empty.
const PRISMA_LAYOUT = `  // Prisma Migrate's folder: one <timestamp>_<name>/migration.sql folder per migration, read as
  // Prisma runs them (see "Other tools' folders" in dbkit's README).
  "migrationsDir": "prisma/migrations",
  // Folder of seed .sql files, run after migrations when new or changed.
  "seedsDir": "seeds",`;

const PRISMA_FOLDER = path.join("prisma", "migrations");

// drizzle-kit's, dbmate's or Flyway's folder as it is, for the same reason.
function toolLayout(folder: string): string {
  return `  // The migrations another tool writes, read as that tool runs them (see "Other tools' folders"
  // in dbkit's README).
  "migrationsDir": ${JSON.stringify(folder.split(path.sep).join("/"))},
  // Folder of seed .sql files, run after migrations when new or changed.
  "seedsDir": "seeds",`;
}

// No folders: set, they would replace the layout (every .sql in supabase/ would become a seed).
const SUPABASE_LAYOUT = `  // The Supabase CLI's layout: migrations in supabase/migrations, seeds as supabase/config.toml
  // names them ([db.seed] sql_paths, default ./seed.sql). Those seeds are development data: they
  // run only on a database on this machine unless --seed is given or "seedRemote" is true.
  // Setting migrationsDir or seedsDir replaces the layout.
  "supabase": true,
  "seedRemote": false,`;

const ENV_EXAMPLE = `# The database dbkit migrates. Without it, dbkit uses an embedded Postgres in .dbkit/.
# Percent-encode special characters in the password (@ is %40). Never commit .env itself.
DATABASE_URL=postgres://postgres:password@localhost:5432/postgres
`;

export async function initCommand(output: Output, cwd: string): Promise<number> {
  const supabase = existsSync(path.join(cwd, "supabase"));
  // Another tool's folder (Prisma's, drizzle-kit's, dbmate's, Flyway's) is configured as it is: a migrations/ beside it would be read instead, and found empty.
  const ownFolder = supabase || existsSync(path.join(cwd, "migrations"));
  const toolFolder = ownFolder ? undefined : existsSync(path.join(cwd, PRISMA_FOLDER)) ? PRISMA_FOLDER : otherToolFolder(cwd, []);
  const prisma = toolFolder === PRISMA_FOLDER;
  const result: ScaffoldResult = { created: [], updated: [], skipped: [] };
  await createDir(path.join(cwd, supabase ? "supabase/migrations" : (toolFolder ?? "migrations")), result, cwd);
  if (!supabase) await createDir(path.join(cwd, "seeds"), result, cwd);
  await createFile(path.join(cwd, "dbkit.config.json"), configText(supabase, toolFolder), result, cwd);
  await createFile(path.join(cwd, ".env.example"), ENV_EXAMPLE, result, cwd);
  await ensureLine(path.join(cwd, ".gitignore"), ".dbkit/", result, cwd);
  await ensureLine(path.join(cwd, ".gitignore"), ".env", result, cwd);
  await ensureLine(path.join(cwd, ".gitattributes"), "*.sql text eol=lf", result, cwd);
  output.result(resultDoc("init", { supabase, ...result }, []), () =>
    [
      ...(supabase ? ["found supabase/: configured for the Supabase layout (supabase/migrations, the seeds supabase/config.toml names)"] : []),
      ...(prisma ? ["found prisma/migrations: configured to read Prisma Migrate's folder as it is"] : []),
      ...(toolFolder && !prisma ? [`found ${toolFolder}: configured to read it as it is`] : []),
      ...result.created.map((f) => `created ${f}`),
      ...result.updated.map((f) => `updated ${f}`),
      ...result.skipped.map((f) => `skipped ${f}`),
      "",
      "next: dbkit new <name> to write a migration, then dbkit migrate",
    ].join("\n"),
  );
  return 0;
}
