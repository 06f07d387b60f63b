/** The verify report: one line per section, like the summaries teams write by hand, then details. */
import type { VerifyResult } from "../engine/verify.js";
import type { Painter } from "./paint.js";

export function renderVerify(result: VerifyResult, p: Painter): string {
  const lines: string[] = [];
  for (const section of result.sections) {
    const badge = section.status === "passed" ? p.green("✅ PASSED ") : section.status === "warning" ? p.yellow("⚠️  WARNING") : p.red("❌ FAILED ");
    // Sections that fail or warn show their count; passed ones show what was checked.
    const count = section.findings.length;
    const what = section.status === "passed" ? section.checked : `${count} ${count === 1 ? "difference" : "differences"}`;
    lines.push(`${badge}  ${section.name.padEnd(13)}${what}`);
  }
  for (const section of result.sections) {
    for (const finding of section.findings) {
      const from = finding.definedIn ? p.dim(` (defined in ${finding.definedIn})`) : "";
      lines.push(`  ${finding.mark} ${finding.object}: ${finding.message}${from}`);
      if (finding.expected !== undefined) lines.push(`      expected: ${show(finding.expected)}`);
      if (finding.actual !== undefined) lines.push(`      actual:   ${show(finding.actual)}`);
      if (finding.hint) lines.push(`      fix:      ${finding.hint}`);
    }
  }
  lines.push("", result.ok ? p.green("the database matches the migrations") : p.red(verdictOfFailure(result)));
  return lines.join("\n");
}

/** A database whose only failures are security findings matches its migrations: the migrations made the problem. */
function verdictOfFailure(result: VerifyResult): string {
  const failed = result.sections.filter((section) => section.status === "failed");
  if (failed.length > 0 && failed.every((section) => section.name === "Security")) return "the database matches the migrations, but the security checks failed: fix them in a new migration";
  return "the database differs from the migrations";
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.includes("\n") ? `\n${text.replace(/^/gm, "        ")}` : text;
}
