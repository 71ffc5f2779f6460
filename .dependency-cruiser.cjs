/**
 * Import rules for src/, checked by test/unit/layering.test.ts (and `npm run deps`):
 * - layering: a folder imports only its own layer or lower ones (order: layers.cjs);
 * - no circular dependency between files;
 * - the scan side never imports bullmq, ioredis, @octokit/* or fastify (the hook must stay fast);
 * - only rules/ (load-time checks) and the engine's compile step (detection/regex.ts) load re2;
 * - src/ never imports test/.
 * Type-only imports count: a folder that needs a higher folder's types is misplaced too.
 */
const LAYERS = require("./layers.cjs");

/** The folders up to and including `scan`: what `leakstop scan` and the hook load. */
const SCAN_SIDE = LAYERS.slice(0, LAYERS.indexOf("scan") + 1);

const layerRules = LAYERS.map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `src/${layer}/ may import only from: ${LAYERS.slice(0, i + 1).join(", ")}`,
  severity: "error",
  from: { path: `^src/${layer}/` },
  to: { path: "^src/", pathNot: `^src/(${LAYERS.slice(0, i + 1).join("|")})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-circular",
      comment: "no import cycle between files",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "scan-side-no-pipeline-deps",
      comment: "the scan path never loads bullmq, ioredis, @octokit/* or fastify",
      severity: "error",
      from: { path: `^src/(${SCAN_SIDE.join("|")})/` },
      // Unresolved packages (ESM-only exports) keep their bare name, so match both forms.
      to: { path: "(^|/node_modules/)(bullmq|ioredis|@octokit/[^/]+|fastify)($|/)" },
    },
    {
      name: "re2-only-rules-and-engine",
      comment: "re2 is loaded by rules/ (checks at load) and detection/regex.ts (the engine's compile step) only",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(rules/|detection/regex\\.ts$)" },
      to: { path: "(^|/node_modules/)re2($|/)" },
    },
    {
      name: "src-not-test",
      comment: "product code never imports test code",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
