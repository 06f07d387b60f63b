/** `dbkit diff`: exit 0 when written (or nothing to change), 5 when refused or not proven. */
import { diffWith, type DiffFlags } from "../api/diff.js";
import { renameHint } from "../api/diff-renames.js";
import { ExitCode } from "../errors.js";
import { renderDiff, renderDiffSql } from "../output/render-diff.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type DiffCommandFlags = Omit<DiffFlags, "name" | "confirmRename">;

export async function diffCommand({ settings, output }: CommandContext, words: string[], flags: DiffCommandFlags): Promise<number> {
  for (const url of [flags.fromUrl, flags.toUrl, flags.shadowUrl]) if (url) output.addSecrets(url);
  const name = words.join(" ").trim();
  // A person at a terminal says whether a table or column was renamed; a script must say it with --rename.
  const confirmRename = output.interactive
    ? async (candidate: Parameters<NonNullable<DiffFlags["confirmRename"]>>[0]) => {
        const answer = await output.ask(`was ${candidate.from.slice(candidate.from.indexOf(" ") + 1)} renamed to ${candidate.to.slice(candidate.to.indexOf(" ") + 1)}? [y/N] (${renameHint(candidate)}) `);
        return /^y(es)?$/i.test(answer.trim());
      }
    : undefined;
  const report = await diffWith(settings, trackingProgress(output), { ...flags, ...(name ? { name } : {}), ...(confirmRename ? { confirmRename } : {}) });
  const dryRun = report.ok && !report.written && report.files.length > 0;
  if (dryRun) {
    // The SQL alone on stdout (it pipes into psql); the summary goes with the progress on stderr.
    for (const line of renderDiff(report, output.paint).split("\n")) output.info(line);
    output.result(report, () => renderDiffSql(report));
  } else output.result(report, () => renderDiff(report, output.paint));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
