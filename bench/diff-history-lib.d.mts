// Types of bench/diff-history-lib.mjs, for the integration test that imports it.
export interface HistoryFile {
  name: string;
  text: string;
}
export interface History {
  name: string;
  files: HistoryFile[];
}
export interface Segment {
  sql: string;
  transactional: boolean;
}
export interface Engine {
  name: string;
  command: string;
  /** `files`: the folder's files 1..k+1 (the last one is the step). */
  plan(input: { fromUrl: string; toUrl: string; cwd: string; supabase: boolean; files: HistoryFile[] }): Promise<{ segments: Segment[]; error?: undefined } | { error: string; segments?: undefined }>;
}
export interface StepOutcome {
  reproduced: boolean;
  sql: string;
  error?: string;
  differences: string[];
}
export interface StepResult {
  step: number;
  file: string;
  results: Record<string, StepOutcome>;
}
export interface RoundTripResult {
  folder: string;
  steps: StepResult[];
}
export function readHistory(projectDir: string): History;
export function upSection(text: string): string;
export function run(command: string, args: string[], options?: { cwd?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }>;
export function buildStates(history: History, serverUrl: string): Promise<{ urls: string[]; supabase: boolean; drop(): Promise<void> }>;
export function compareDatabases(expectedUrl: string, actualUrl: string, scope: unknown): Promise<string[]>;
export function roundTrip(history: History, serverUrl: string, engines: Engine[], options?: { onStep?: (step: StepResult) => void }): Promise<RoundTripResult>;
export function share(reproduced: number, total: number): string;
export function failureReport(result: RoundTripResult, engineName: string): string;
