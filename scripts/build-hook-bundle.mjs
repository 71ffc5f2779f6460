#!/usr/bin/env node
// Build step after tsc: bundles what `leakstop hook run` loads (dist/src/cli/hook-main.js and its
// imports) into one CommonJS file, dist/hook-run.cjs, so the pre-commit hook reads and compiles one
// module instead of ~50 (see src/cli/hook-main.ts), and bin/leakstop.js (CommonJS too) requires it
// without starting node's ES module loader. npm packages stay outside (re2 is native; the others
// are required lazily). Each module's import.meta.url is rewritten to its own dist/src path, so
// paths found relative to a module (bin/, detectors/, the detector bundle) stay right. The bundle
// records the size and mtime of every file it holds: after a later tsc it is stale and unused.
// Then one `hook run` writes V8's code cache of the bundle, dist/hook-run.cache (bin/leakstop.js).
// Without esbuild (a production install) the step is skipped and the hook runs from dist/src.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const ENTRY = join(DIST, "src/cli/hook-main.js");
const OUT = join(DIST, "hook-run.cjs");
/** What the builds before this one wrote (an ES module), removed so that nothing loads it. */
const OLD_OUT = join(DIST, "hook-run.mjs");
const META = join(DIST, "hook-run.meta.json");
/** V8's code cache of the bundle (see bin/leakstop.js). */
const CACHE = join(DIST, "hook-run.cache");
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

/**
 * esbuild leaves a few characters unescaped (in comments and regex literals): one non-ASCII
 * character makes node hold the whole source as a two-byte string, decoded and scanned slower.
 * \uXXXX means the same character in a string, a template, a regex (with or without u) or a comment.
 */
function asciiOnly(text) {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Writes the bundle's code cache: runs `hook run` once, through bin/leakstop.js as a commit would,
 * over a staged file in a scratch repository, and keeps what V8 compiled. Without git (or on any
 * failure) there is no cache and the hook compiles from source.
 */
function writeCodeCache() {
  rmSync(CACHE, { force: true });
  const repo = mkdtempSync(join(tmpdir(), "leakstop-hook-cache-"));
  const env = { ...process.env, LEAKSTOP_WRITE_HOOK_CACHE: `${CACHE}.tmp` };
  for (const k of Object.keys(env)) if (k.startsWith("GIT_") || (k.startsWith("LEAKSTOP_") && k !== "LEAKSTOP_WRITE_HOOK_CACHE")) delete env[k];
  try {
    const git = (...args) => spawnSync("git", args, { cwd: repo, env, stdio: "ignore" }).status === 0;
    writeFileSync(join(repo, "app.ts"), 'const retries = 3;\nexport const api_token = process.env.API_TOKEN ?? "";\n');
    if (!git("init", "-q") || !git("add", "app.ts")) return "git not available";
    const bin = join(DIST, "..", "bin", "leakstop.js");
    const r = spawnSync(process.execPath, [bin, "hook", "run"], { cwd: repo, env, stdio: "ignore" });
    if (r.status !== 0) return `hook run exited ${r.status}`;
    renameSync(`${CACHE}.tmp`, CACHE);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    rmSync(`${CACHE}.tmp`, { force: true });
    rmSync(repo, { recursive: true, force: true });
  }
}

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  rmSync(OUT, { force: true });
  rmSync(OLD_OUT, { force: true });
  rmSync(CACHE, { force: true });
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
  charset: "ascii",
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
  writeFileSync(OUT, asciiOnly(readFileSync(OUT, "utf8")));
  rmSync(OLD_OUT, { force: true });
  const noCache = writeCodeCache();
  const cache = noCache ? `, no code cache (${noCache})` : ", code cache in dist/hook-run.cache";
  process.stdout.write(`hook bundle: ${inputs.length} modules into dist/hook-run.cjs${cache}\n`);
} catch (err) {
  rmSync(OUT, { force: true });
  rmSync(CACHE, { force: true });
  process.stderr.write(`build-hook-bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
