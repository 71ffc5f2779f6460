#!/usr/bin/env node
// Build step after tsc: bundles what `leakstop hook run` loads (dist/src/cli/hook-main.js and its
// imports) into one CommonJS file, dist/hook-run.cjs, so the pre-commit hook reads and compiles one
// module instead of ~50 (see src/cli/hook-main.ts), and bin/leakstop.js (CommonJS too) requires it
// without starting node's ES module loader. npm packages stay outside (re2 is native; the others
// are required lazily). Each module's import.meta.url is rewritten to its own dist/src path, so
// paths found relative to a module (bin/, detectors/, the detector bundle) stay right. The bundle
// records the size and mtime of every file it holds: after a later tsc it is stale and unused.
// Without esbuild (a production install) the step is skipped and the hook runs from dist/src.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const ENTRY = join(DIST, "src/cli/hook-main.js");
const OUT = join(DIST, "hook-run.cjs");
/** What the builds before this one wrote (an ES module), removed so that nothing loads it. */
const OLD_OUT = join(DIST, "hook-run.mjs");
const META = join(DIST, "hook-run.meta.json");
/** The hook must never carry the pipeline (test/e2e/hot-path.test.ts checks the metafile too). */
const FORBIDDEN = /node_modules\/(bullmq|ioredis|fastify|@fastify|@octokit|simple-git|prom-client|pino|nodemailer)\//;

const metaUrl = {
  name: "import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\/dist\/src\/.*\.js$/ }, (args) => {
      const rel = `./${relative(DIST, args.path)}`;
      const text = readFileSync(args.path, "utf8");
      const url = `new URL(${JSON.stringify(rel)}, __leakstopDistUrl).href`;
      return { contents: text.replaceAll("import.meta.url", url), loader: "js" };
    });
  },
};

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  rmSync(OUT, { force: true });
  rmSync(OLD_OUT, { force: true });
  process.stdout.write("hook bundle: esbuild not installed, skipped (hook run loads dist/src)\n");
  process.exit(0);
}

const options = {
  absWorkingDir: join(DIST, ".."),
  entryPoints: [ENTRY],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  packages: "external",
  outfile: OUT,
  legalComments: "none",
  logLevel: "error",
  plugins: [metaUrl],
  // ES modules are strict code; the CommonJS bundle says so. Module URLs are made from dist/'s.
  banner: { js: '"use strict";\nconst __leakstopDistUrl = require("node:url").pathToFileURL(`${__dirname}/`).href;' },
};

try {
  const first = await esbuild.build({ ...options, write: false, metafile: true });
  const inputs = Object.keys(first.metafile.inputs).map((p) => {
    const abs = join(DIST, "..", p);
    const st = statSync(abs);
    return [relative(DIST, abs), st.size, st.mtimeMs];
  });
  const bad = Object.keys(first.metafile.inputs).filter((p) => FORBIDDEN.test(p));
  if (bad.length > 0) throw new Error(`the hook bundle would hold ${bad.join(", ")}`);
  const result = await esbuild.build({
    ...options,
    metafile: true,
    define: { LEAKSTOP_BUNDLE_INPUTS: JSON.stringify(inputs) },
  });
  writeFileSync(META, JSON.stringify(result.metafile));
  rmSync(OLD_OUT, { force: true });
  process.stdout.write(`hook bundle: ${inputs.length} modules into dist/hook-run.cjs\n`);
} catch (err) {
  rmSync(OUT, { force: true });
  process.stderr.write(`build-hook-bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
