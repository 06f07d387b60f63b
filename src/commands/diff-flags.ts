/** `dbkit diff`'s arguments and flags, kept out of cli.ts (which only registers the command). */
import type { Command } from "commander";

export function withDiffFlags(command: Command): Command {
  return command
    .description("write the next migration from the schema folder (or a live database), proven exact in a scratch database before it is written")
    .option("--from-migrations", "the current state is the migrations (the default)")
    .option("--from-url <url>", "the current state is this database (read only; the result cannot be proven)")
    .option("--to-url <url>", "the desired state is this database (read only), instead of the schema folder")
    .option("--shadow-url <url>", "server to make the scratch databases on (default: a scratch embedded Postgres)")
    .option("--dry-run", "print the SQL and write nothing")
    .option("--allow-drop", "write statements that lose data (drop table, column, type; a narrowing change), each marked in the file")
    .option("--rename <old=new>", "a renamed table (public.a=public.b) or column (public.t.a=public.t.b); repeatable", (value: string, previous: string[] = []) => [...previous, value])
    .option("--allow-incomplete", "write the file even when some changes cannot be written, listing them at its top")
    .addHelpText(
      "after",
      "\nExamples:\n  $ dbkit diff add invoices                                 # schema/ (supabase/schemas/) against migrations/\n  $ dbkit diff --from-migrations --to-url $PROD_URL hotfix  # a hot-fix made on a database, as a migration\n  $ dbkit diff --from-url $A --to-url $B                    # print the SQL from A to B\n  $ dbkit diff drop legacy --allow-drop --rename public.orders.total=public.orders.amount\n",
    );
}
