/** `dbkit verify`: exit 0 when the database matches the migrations, 5 on drift. */
import { verifyWith, type VerifyFlags } from "../api/verify.js";
import { ExitCode } from "../errors.js";
import { renderVerify } from "../output/render-verify.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { VerifyFlags };

export async function verifyCommand({ settings, output }: CommandContext, flags: VerifyFlags): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await verifyWith(settings, trackingProgress(output), flags);
  output.result(report, () => renderVerify(report, output.paint));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
