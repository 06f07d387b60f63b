// The rules of the layering that are about globals, not imports (dependency-cruiser checks those):
// only cli.ts ends the process or installs process handlers (and db/driver-guard.ts, whose
// listener lives only while a session is open), only config/ reads the environment, only
// output/ writes to the terminal. Run by `npm run lint`.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const RULES = [
  { what: /\bprocess\.exit\s*\(/, allowed: ["src/cli.ts"], why: "only cli.ts ends the process" },
  { what: /\bprocess\.(on|once|addListener|prependListener)\s*\(/, allowed: ["src/cli.ts", "src/db/driver-guard.ts"], why: "only cli.ts installs process-wide handlers" },
  { what: /\bprocess\.env\b/, allowed: ["src/config/"], why: "only config/ reads the environment" },
  { what: /\bprocess\.(stdout|stderr|stdin)\b|\bconsole\.\w+\s*\(/, allowed: ["src/output/"], why: "only output/ writes to the terminal" },
];

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if (file.endsWith(".ts")) yield file;
  }
}

/** The code without its comments (a `//` inside a string such as "postgres://" follows a non-space). */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " ")).replace(/(^|\s)\/\/.*$/gm, "$1");
}

const problems = [];
for (const file of sources("src")) {
  const lines = code(readFileSync(file, "utf8")).split("\n");
  for (const rule of RULES) {
    if (rule.allowed.some((allowed) => file === allowed || (allowed.endsWith("/") && file.startsWith(allowed)))) continue;
    lines.forEach((line, index) => {
      if (rule.what.test(line)) problems.push(`${file}:${index + 1}: ${rule.why} (${line.trim()})`);
    });
  }
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`x ${problems.length} use(s) of process globals against the layering (see README, Development)`);
  process.exit(1);
}
console.log("✔ process globals used only where the layering allows");
