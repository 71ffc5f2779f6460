#!/usr/bin/env node
// Build step after tsc: bundles what `leakstop hook run` loads (dist/src/cli/hook-main.js and its
// imports) into one CommonJS file, dist/hook-run.cjs, so the pre-commit hook reads and compiles one
// module instead of ~50 (see src/cli/hook-main.ts), and bin/leakstop.js (CommonJS too) requires it
// without starting node's ES module loader; and the same for `leakstop scan` (dist/scan-run.cjs from
// src/cli/scan-main.ts, ~130 modules). npm packages stay outside (re2 is native; the others
// are required lazily). Each module's import.meta.url is rewritten to its own dist/src path, so
// paths found relative to a module (bin/, detectors/, the detector bundle, a worker's script) stay
// right. A bundle records the size and mtime of every file it holds: after a later tsc it is stale and unused.
// Then one run of each command writes V8's code cache of its bundle, dist/NAME.cache (bin/leakstop.js).
// The scan's worker threads get one too: dist/scan-worker.cjs (src/cli/scan-worker-main.ts), started
// by bin/scan-worker.js. V8 takes a code cache only under the V8 flags it was made with: workers load
// under node's own (a tree scan's and a history child's alike: scan/tiering.ts), and their cache,
// dist/scan-worker.HASH.cache, is named by the hash of those flags (bin/load-bundle.js), written by a
// tree scan of a scratch folder. The scan bundle has a second cache too, dist/scan-run.HASH.cache, for
// `scan --history`'s child node (bin/leakstop.js), written by a history scan of the scratch repository:
// what a history scan compiles (HASH is node's defaults' too: the child gives its memory flag back first).
// Without esbuild (a production install) the step is skipped and every command runs from dist/src.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const { flagHashOf } = createRequire(import.meta.url)("../bin/load-bundle.js");
/** What the builds before the CommonJS one wrote (an ES module), removed so that nothing loads it. */
const OLD_OUT = join(DIST, "hook-run.mjs");
/** Neither bundle may carry the pipeline (test/e2e/hot-path.test.ts checks the metafiles too). */
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

/** A scratch git repository holding `files` (staged); null without git. */
function scratchRepo(files, env) {
  const repo = mkdtempSync(join(tmpdir(), "leakstop-bundle-cache-"));
  const git = (...args) => spawnSync("git", args, { cwd: repo, env, stdio: "ignore" }).status === 0;
  for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, name), text);
  if (!git("init", "-q") || !git("add", ".")) {
    rmSync(repo, { recursive: true, force: true });
    return null;
  }
  return repo;
}

const APP_TS = 'const retries = 3;\nexport const api_token = process.env.API_TOKEN ?? "";\n';
const CONFIG_JSON = '{ "name": "demo", "password": "<your password here>", "url": "https://example.com/" }\n';

/** Commits the scratch repository's files again with `edits` appended to each: a second version to scan against the first. */
function commitTwice(repo, files, env) {
  const git = (...args) =>
    spawnSync("git", ["-c", "user.name=build", "-c", "user.email=build@example.com", ...args], {
      cwd: repo,
      env,
      stdio: "ignore",
    }).status === 0;
  if (!git("commit", "-q", "-m", "first")) return false;
  for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, name), `${text}${text}`);
  return git("commit", "-q", "-a", "-m", "second");
}

const distUrl = (rel) => JSON.stringify(new URL(rel, `file://${DIST}/`).href);

/**
 * A tree scan's worker threads, as scanTree starts them on a big tree (scan/scan-tree.ts): two
 * workers scan the scratch folder's files, one a batch. A tree scan's worker loads its bundle under
 * node's own V8 flags and sets the interrupt budget only after (scan/tiering.ts), so this run leaves
 * the budget unset: the cache is made under node's defaults, as the worker is when it loads it.
 */
function treeWorkersScript(repo, files) {
  const items = Object.keys(files).map((rel) => ({ abs: join(repo, rel), rel }));
  return `import { buildRuleSet } from ${distUrl("src/config/ruleset.js")};
import { portableRuleSet } from ${distUrl("src/rules/portable-rules.js")};
import { makeBatches, ScanPool } from ${distUrl("src/scan/pool.js")};
const ruleSet = buildRuleSet(null, [], { examples: false });
const pool = new ScanPool(2, { ruleSet: portableRuleSet(ruleSet), detect: { showSecrets: false, maxFileSize: 0 } });
try {
  await pool.run(makeBatches(${JSON.stringify(items)}, 1), () => {});
} finally {
  await pool.close();
}`;
}

/** The scan workers' run: writes the cache for node's own V8 flags, under which tree and history scans' workers load. */
const WORKER_CACHE_RUNS = [{ label: "tree scan", nodeFlags: [], script: treeWorkersScript }];

/** Renames the cache just written at `tmp` to dist/NAME.HASH.cache, HASH naming the V8 flags it was made under. */
function keepPerFlags(target, tmp) {
  const c = readFileSync(tmp);
  const hash = flagHashOf(c.subarray(c.indexOf(10) + 1));
  if (hash === null) throw new Error(`${target.label} code cache too short`);
  renameSync(tmp, join(DIST, `${target.name}.${hash}.cache`));
}

/** Every code cache of `target` on disk: dist/NAME.cache and dist/NAME.HASH.cache. */
function cacheFiles(target) {
  const mine = new RegExp(`^${target.name}\\.([0-9a-f]{8}\\.)?cache$`);
  return readdirSync(DIST)
    .filter((f) => mine.test(f))
    .map((f) => join(DIST, f));
}

/**
 * Writes a bundle's code cache: runs its command once, through bin/leakstop.js as a user would
 * (`hook run` over staged files, `scan` over a folder; the workers' through a tree scan's and a history scan's pool), in a
 * scratch repository, and keeps what V8 compiled. Without git (or on any failure) there is no cache
 * and the command compiles from source.
 */
function writeCodeCache(target) {
  for (const f of cacheFiles(target)) rmSync(f, { force: true });
  const tmp = `${target.cache}.tmp`;
  const env = { ...process.env, [target.cacheEnv]: tmp };
  for (const k of Object.keys(env))
    if (k.startsWith("GIT_") || (k.startsWith("LEAKSTOP_") && k !== target.cacheEnv)) delete env[k];
  let repo = null;
  try {
    repo = scratchRepo(target.sample, env);
    if (repo === null) return "git not available";
    if ((target.cacheRun === "workers" || target.historyRun) && !commitTwice(repo, target.sample, env))
      return "git commit failed";
    const bin = join(DIST, "..", "bin", "leakstop.js");
    const runs =
      target.cacheRun === "workers"
        ? WORKER_CACHE_RUNS.map((run) => ({
            label: `${target.label} (${run.label})`,
            args: [...run.nodeFlags, "--input-type=module", "-e", run.script(repo, target.sample)],
            keep: () => keepPerFlags(target, tmp),
          }))
        : [
            { label: target.label, args: [bin, ...target.cacheRun], keep: () => renameSync(tmp, target.cache) },
            ...(target.historyRun
              ? [
                  {
                    label: `${target.label} (history child)`,
                    args: [bin, ...target.historyRun],
                    keep: () => keepPerFlags(target, tmp),
                  },
                ]
              : []),
          ];
    for (const run of runs) {
      const r = spawnSync(process.execPath, run.args, { cwd: repo, env, stdio: "ignore" });
      if (r.status !== 0 && r.status !== 1) return `${run.label} cache run exited ${r.status}`;
      run.keep();
    }
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    rmSync(tmp, { force: true });
    if (repo !== null) rmSync(repo, { recursive: true, force: true });
  }
}

/** Each single-file build: its entry, its files, and the run that writes its code cache (and the variable naming the file). */
const TARGETS = [
  {
    label: "hook",
    name: "hook-run",
    entry: "src/cli/hook-main.js",
    cacheRun: ["hook", "run"],
    sample: { "app.ts": APP_TS },
  },
  {
    label: "scan",
    name: "scan-run",
    entry: "src/cli/scan-main.js",
    cacheRun: ["scan", ".", "--no-progress"],
    // The launcher runs it in its history child, which writes the cache; a history this small is scanned
    // in the child's main thread, which never sets the workers' interrupt budget (scan/tiering.ts), so the
    // cache is made under the child's command-line flags alone, as the child has them when it loads the bundle.
    historyRun: ["scan", ".", "--history", "--no-progress"],
    sample: { "app.ts": APP_TS, "config.json": CONFIG_JSON },
  },
  {
    label: "scan worker",
    name: "scan-worker",
    entry: "src/cli/scan-worker-main.js",
    cacheRun: "workers",
    cacheEnv: "LEAKSTOP_WRITE_WORKER_CACHE",
    sample: { "app.ts": APP_TS, "config.json": CONFIG_JSON },
  },
].map((t) => ({
  cacheEnv: "LEAKSTOP_WRITE_HOOK_CACHE",
  ...t,
  entry: join(DIST, t.entry),
  out: join(DIST, `${t.name}.cjs`),
  meta: join(DIST, `${t.name}.meta.json`),
  cache: join(DIST, `${t.name}.cache`),
}));

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  for (const t of TARGETS) for (const f of [t.out, ...cacheFiles(t)]) rmSync(f, { force: true });
  rmSync(OLD_OUT, { force: true });
  process.stdout.write("hook, scan and scan worker bundles: esbuild not installed, skipped (all load dist/src)\n");
  process.exit(0);
}

const options = {
  absWorkingDir: join(DIST, ".."),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  packages: "external",
  legalComments: "none",
  charset: "ascii",
  logLevel: "error",
  plugins: [metaUrl],
  // ES modules are strict code; the CommonJS bundle says so. Module URLs are made from dist/'s.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the banner is JavaScript source with a template literal of its own
  banner: { js: '"use strict";\nconst __leakstopDistUrl = require("node:url").pathToFileURL(`${__dirname}/`).href;' },
};

/** detection/keyword-scan-wasm.ts' module bytes, from the compiled dist/src. */
async function wasmBytes() {
  const url = pathToFileURL(join(DIST, "src", "detection", "keyword-scan-wasm.js")).href;
  return (await import(url)).keywordScanModuleBytes();
}

async function buildBundle(target) {
  const opts = { ...options, entryPoints: [target.entry], outfile: target.out };
  const first = await esbuild.build({ ...opts, write: false, metafile: true });
  const inputs = Object.keys(first.metafile.inputs).map((p) => {
    const abs = join(DIST, "..", p);
    const st = statSync(abs);
    return [relative(DIST, abs), st.size, st.mtimeMs];
  });
  const bad = Object.keys(first.metafile.inputs).filter((p) => FORBIDDEN.test(p));
  if (bad.length > 0) throw new Error(`the ${target.label} bundle would hold ${bad.join(", ")}`);
  const result = await esbuild.build({
    ...opts,
    metafile: true,
    define: {
      LEAKSTOP_BUNDLE_INPUTS: JSON.stringify(inputs),
      // The keyword search's WebAssembly bytes, built once here rather than at every start.
      LEAKSTOP_KEYWORD_SCAN_WASM: JSON.stringify([...(await wasmBytes())]),
    },
  });
  writeFileSync(target.meta, JSON.stringify(result.metafile));
  writeFileSync(target.out, asciiOnly(readFileSync(target.out, "utf8")));
  const noCache = writeCodeCache(target);
  const names = cacheFiles(target).map((f) => `dist/${relative(DIST, f)}`);
  const cache = noCache ? `, no code cache (${noCache})` : `, code cache in ${names.join(", ")}`;
  process.stdout.write(`${target.label} bundle: ${inputs.length} modules into dist/${target.name}.cjs${cache}\n`);
}

try {
  rmSync(OLD_OUT, { force: true });
  for (const target of TARGETS) await buildBundle(target);
} catch (err) {
  for (const t of TARGETS) for (const f of [t.out, ...cacheFiles(t)]) rmSync(f, { force: true });
  process.stderr.write(`build-hook-bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
