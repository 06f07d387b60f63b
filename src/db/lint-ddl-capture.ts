/**
 * An event trigger in lint's scratch database that notes, in a session setting, the table every
 * ALTER TABLE names, wherever it runs: at top level, in a DO block, in a function the migration
 * calls, through EXECUTE. lint-probe reads the setting after each statement (the scratch session
 * has one connection), so ALTER TABLE on a platform-owned table is found however it is issued.
 */
import { quoteIdent } from "./journal-sql.js";
import type { Sql } from "./session.js";

/** The session setting the event trigger appends to: one `schema.table` per line. */
export const ALTERED_SETTING = "dbkit.lint_altered";

/**
 * Installs the trigger (its function in the journal schema, which lint ignores). Returns false
 * when the server refuses (an event trigger needs a superuser, which a --shadow-url server may
 * not give): lint then judges the top-level statements only.
 */
export async function installDdlCapture(sql: Sql, journalSchema: string): Promise<boolean> {
  const schema = quoteIdent(journalSchema);
  try {
    await sql.unsafe(`
      create schema if not exists ${schema};
      create or replace function ${schema}.lint_note_altered_tables() returns event_trigger language plpgsql as $fn$
      declare command record;
      begin
        for command in select * from pg_event_trigger_ddl_commands() loop
          if command.command_tag = 'ALTER TABLE' and command.object_type = 'table' then
            perform set_config('${ALTERED_SETTING}', coalesce(current_setting('${ALTERED_SETTING}', true), '') || command.object_identity || E'\\n', false);
          end if;
        end loop;
      end $fn$;
      create event trigger dbkit_lint_note_altered_tables on ddl_command_end when tag in ('ALTER TABLE') execute function ${schema}.lint_note_altered_tables();
    `).simple();
    return true;
  } catch {
    return false;
  }
}
