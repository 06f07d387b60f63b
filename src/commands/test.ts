/** `dbkit test`: exit 0 when every SQL test file passes, 5 when any fails. */
import { testWith, type TestFlags } from "../api/test.js";
import { ExitCode } from "../errors.js";
import { renderTest } from "../output/render-test.js";
import type { CommandContext } from "./context.js";
import { trackingProgress } from "./progress.js";

export type { TestFlags };

export async function testCommand({ settings, output }: CommandContext, flags: TestFlags): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await testWith(settings, trackingProgress(output), flags);
  output.result(report, () => renderTest(report, output.paint));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
