/**
 * The one-way rule of src/ (see README, Development): cli → commands → engine → (core, ports);
 * db/, fs/ and local/ implement the ports; results flow back as data that output/ prints.
 * `npm run lint` fails on an import against it, static or dynamic, type-only included.
 */
const LAYERS = "^src/(engine|core|db|fs|local|config|output|sql)/";
module.exports = {
  forbidden: [
    {
      name: "nothing-imports-cli",
      comment: "cli.ts is the program's entry: nothing below it may import it.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/cli\\.ts$" },
    },
    {
      name: "layers-below-commands",
      comment: "engine/, core/, db/, fs/, local/, config/, output/ never reach up to the commands or the API.",
      severity: "error",
      from: { path: LAYERS },
      to: { path: "^src/commands/|^src/index\\.ts$" },
    },
    {
      name: "shared-below-commands",
      comment: "commands/shared/ serves the command modules; it never imports one of them.",
      severity: "error",
      from: { path: "^src/commands/shared/" },
      to: { path: "^src/commands/[^/]+\\.ts$" },
    },
    {
      name: "engine-through-ports",
      comment: "The engine decides; it reaches the world only through engine/ports.ts.",
      severity: "error",
      from: { path: "^src/engine/" },
      to: { path: "^src/(db|fs|local|output|config)/" },
    },
    {
      name: "core-is-pure",
      comment: "core/ is pure and deterministic: it imports only core/, sql/ and errors.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^src/(engine|db|fs|local|output|config)/" },
    },
    {
      name: "adapters-implement-ports",
      comment: "db/, fs/ and local/ implement the engine's ports: of engine/ they import only ports.ts, and not each other's layers above.",
      severity: "error",
      from: { path: "^src/(db|fs|local)/" },
      to: { path: "^src/(engine/(?!ports\\.ts$)|output/)" },
    },
    {
      name: "config-stands-alone",
      comment: "config/ reads settings; it talks to no database, file format or output.",
      severity: "error",
      from: { path: "^src/config/" },
      to: { path: "^src/(engine|db|fs|local|output)/" },
    },
    {
      name: "output-prints-data",
      comment: "output/ turns results into text: it opens nothing.",
      severity: "error",
      from: { path: "^src/output/" },
      to: { path: "^src/(db|fs|local|config)/" },
    },
    {
      name: "only-db-imports-postgres",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/db/" },
      to: { path: "node_modules/postgres/" },
    },
    {
      name: "only-output-imports-chalk-and-ora",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/output/" },
      to: { path: "node_modules/(chalk|ora)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser to use; swc parses the sources.
    parser: "swc",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
  },
};
