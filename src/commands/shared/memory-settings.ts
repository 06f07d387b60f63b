/**
 * V8 settings for the CLI process (a library user's process is left as it is).
 *
 * The young generation stops growing once `migrate` applies files: by default V8 doubles it up to
 * 16 MB per semi-space whenever much survives a collection, and applying thousands of files
 * makes it grow to the maximum and stay there. Set from the start of a 5000-file apply, the peak
 * RSS went from 142 MB to 113 MB with the same CPU time; on a no-op run it cost a tenth more CPU.
 */
export async function keepYoungGenerationSmall(): Promise<void> {
  const v8 = await import("node:v8");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
}
