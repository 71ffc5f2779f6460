#!/usr/bin/env node
// Build step after tsc: bundles what `leakstop hook run` loads (dist/src/cli/hook-main.js and its
// imports) into one file, dist/hook-run.mjs, so the pre-commit hook reads and compiles one module
// instead of ~50 (see src/cli/hook-main.ts). npm packages stay outside (re2 is native; the others
// are required lazily). Each module's import.meta.url is rewritten to its own dist/src path, so
// paths found relative to a module (bin/, detectors/, the detector bundle) stay right. The bundle
// records the size and mtime of every file it holds: after a later tsc it is stale and unused.
// Without esbuild (a production install) the step is skipped and the hook runs from dist/src.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const ENTRY = join(DIST, "src/cli/hook-main.js");
const OUT = join(DIST, "hook-run.mjs");
const META = join(DIST, "hook-run.meta.json");
/** The hook must never carry the pipeline (test/e2e/hot-path.test.ts checks the metafile too). */
const FORBIDDEN = /node_modules\/(bullmq|ioredis|fastify|@fastify|@octokit|simple-git|prom-client|pino|nodemailer)\//;

const metaUrl = {
  name: "import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\/dist\/src\/.*\.js$/ }, (args) => {
      const rel = `./${relative(DIST, args.path)}`;
      const text = readFileSync(args.path, "utf8");
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: text.replaceAll("import.meta.url", url), loader: "js" };
    });
  },
};

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  rmSync(OUT, { force: true });
  process.stdout.write("hook bundle: esbuild not installed, skipped (hook run loads dist/src)\n");
  process.exit(0);
}

const options = {
  absWorkingDir: join(DIST, ".."),
  entryPoints: [ENTRY],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outfile: OUT,
  legalComments: "none",
  logLevel: "error",
  plugins: [metaUrl],
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
  process.stdout.write(`hook bundle: ${inputs.length} modules into dist/hook-run.mjs\n`);
} catch (err) {
  rmSync(OUT, { force: true });
  process.stderr.write(`build-hook-bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
