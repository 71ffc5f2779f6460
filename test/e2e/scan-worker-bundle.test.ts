/**
 * The scan's worker threads start from the build's single-file bundle (dist/scan-worker.cjs, through
 * bin/scan-worker.js) when it is there and up to date, and from dist/src/scan/worker.js otherwise: a
 * missing, stale or broken bundle never breaks a scan. Each case starts a worker from a copy of the
 * launcher next to a dist/ whose src/ is the real one (a symlink) and whose bundle is the case's, has it
 * scan a file, and reads from an import trace whether the thread loaded dist/src.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";
import { packageWith as packageIn, ROOT, tempDir } from "../helpers/bundle-package.js";
import { crcToken } from "../helpers/secrets.js";

const TRACER = fileURLToPath(new URL("../helpers/trace-imports.js", import.meta.url));
const BUNDLE = join(ROOT, "dist", "scan-worker.cjs");
const LOADER = join(ROOT, "bin", "load-bundle.js");
const { flagHashOf } = createRequire(import.meta.url)(LOADER) as { flagHashOf(data: Buffer): string | null };
/** A package folder: bin/scan-worker.js (copied), the case's bundle, links to the real dist/src and node_modules. */
const WORKER_PACKAGE = {
  name: "scan-worker",
  launchers: ["scan-worker.js"],
  links: ["dist/src", "dist/detectors.bundle", "node_modules"],
};
const packageWith = (bundle: string | null, cache: Buffer | null = null) => packageIn(WORKER_PACKAGE, bundle, cache);

/**
 * Starts `pkg`'s bin/scan-worker.js as the pool does, has it scan one file holding a token, and
 * returns how many findings came back and the modules the process loaded.
 */
function workerScan(pkg: string): { findings: number; stderr: string; mods: string[] } {
  const dir = tempDir("leakstop-tree-");
  writeFileSync(join(dir, "app.env"), `TOKEN=${crcToken("ghp_")}\n`);
  const src = (rel: string) => JSON.stringify(pathToFileURL(join(ROOT, "dist", "src", rel)).href);
  const script = `
    import { Worker } from "node:worker_threads";
    import { buildRuleSet } from ${src("config/ruleset.js")};
    import { portableRuleSet } from ${src("rules/portable-rules.js")};
    const init = { ruleSet: portableRuleSet(buildRuleSet(null, [], { examples: false })), detect: { showSecrets: false, maxFileSize: 0 } };
    const w = new Worker(${JSON.stringify(join(pkg, "bin", "scan-worker.js"))}, { workerData: init });
    w.on("message", (reply) => {
      if (reply === "closed") return w.terminate();
      process.stdout.write(String(reply.type === "result" ? reply.result.findings.length : reply.message));
      w.postMessage("close");
    });
    w.postMessage({ id: 0, items: [{ abs: ${JSON.stringify(join(dir, "app.env"))}, rel: "app.env" }] });`;
  const work = tempDir("leakstop-trace-");
  const trace = join(work, "imports.txt");
  writeFileSync(trace, "");
  // A file, not --input-type=module -e: worker threads inherit the flags, and a file entry refuses that one.
  writeFileSync(join(work, "start-worker.mjs"), script);
  const p = spawnSync(process.execPath, ["--import", TRACER, join(work, "start-worker.mjs")], {
    env: { ...process.env, LEAKSTOP_TRACE_IMPORTS: trace },
    encoding: "utf8",
  });
  assert.equal(p.status, 0, p.stderr);
  return {
    findings: Number(p.stdout),
    stderr: p.stderr,
    mods: readFileSync(trace, "utf8").split("\n").filter(Boolean),
  };
}

/** The scan workers' code caches the build wrote (dist/scan-worker.HASH.cache). */
const cacheFiles = () => readdirSync(join(ROOT, "dist")).filter((f) => /^scan-worker\.[0-9a-f]{8}\.cache$/.test(f));

/**
 * In a node started with `nodeFlags`, first gives the history child's memory flag back if `historyChild`
 * (as that child does: src/scan/history-child-flags.ts), then sets the scan's interrupt budget if
 * `budgetFirst` (scan workers set it only once loaded), and starts a worker thread that loads the
 * bundle as bin/scan-worker.js does; returns what became of its code cache (taken, rejected, none).
 */
function workerCache(nodeFlags: string[], budgetFirst: boolean, historyChild = false): string {
  const work = tempDir("leakstop-flags-");
  const src = (rel: string) => JSON.stringify(pathToFileURL(join(ROOT, "dist", "src", "scan", rel)).href);
  const tiering = src("tiering.js");
  const inWorker = `const { loadBundle } = require(${JSON.stringify(LOADER)});
require("node:worker_threads").parentPort.postMessage(loadBundle(${JSON.stringify(BUNDLE)}, { perFlags: true }).cache);`;
  writeFileSync(
    join(work, "start-worker.mjs"),
    `${historyChild ? `import ${src("history-child-flags.js")};\n` : ""}import { Worker } from "node:worker_threads";
import { optimiseOnlyHotCode } from ${tiering};
if (${budgetFirst}) optimiseOnlyHotCode();
const w = new Worker(${JSON.stringify(inWorker)}, { eval: true });
w.on("message", (m) => { process.stdout.write(m); w.terminate(); });`,
  );
  const p = spawnSync(process.execPath, [...nodeFlags, join(work, "start-worker.mjs")], { encoding: "utf8" });
  assert.equal(p.status, 0, p.stderr);
  return p.stdout;
}

const usedSrc = (mods: string[]) => mods.some((m) => m.endsWith("/dist/src/scan/worker.js"));

describe("the scan workers' single-file bundle", () => {
  it("the build wrote one code cache per set of V8 flags its workers run under (tagged with the bundle and the CRC-32 of its payload), and no package in it", () => {
    const meta = JSON.parse(readFileSync(join(ROOT, "dist", "scan-worker.meta.json"), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    assert.ok(inputs.some((p) => p.endsWith("dist/src/scan/worker.js")));
    assert.deepEqual(
      inputs.filter((p) => p.includes("node_modules/")),
      [],
    );
    const caches = cacheFiles();
    // Tree and history scans' workers alike load under node's own flags (the history child gives its
    // memory flag back before anything loads, and the interrupt budget comes after the workers load).
    assert.equal(caches.length, 1, caches.join(", "));
    const st = statSync(BUNDLE);
    const tag = `leakstop-hook-cache ${st.size} ${st.mtimeMs} `;
    for (const file of caches) {
      const cache = readFileSync(join(ROOT, "dist", file));
      const eol = cache.indexOf(10);
      assert.equal(cache.toString("latin1", 0, tag.length), tag);
      const data = cache.subarray(eol + 1);
      assert.equal(cache.toString("latin1", tag.length, eol), String(crc32(data)));
      assert.equal(file, `scan-worker.${flagHashOf(data)}.cache`, "named by the hash of the flags it was made under");
    }
  });

  it("a tree scan's workers and a history scan's take the code cache made under node's V8 flags", () => {
    // Tree scans run in node as started; history scans in a child node (bin/leakstop.js's runHistoryChild,
    // src/scan/history-child.ts) started with a memory flag it gives back first. Either way the workers
    // load before the interrupt budget is set (scan/tiering.ts).
    assert.equal(workerCache([], false), "taken");
    assert.equal(workerCache(["--max-semi-space-size=2"], false, true), "taken");
    // No cache was made under these flags: none is read (V8 would refuse any other).
    assert.equal(workerCache([], true), "none");
    assert.equal(workerCache(["--max-semi-space-size=2"], false), "none");
  });

  it("a tree scan with a worker thread compiles none of node's built-ins from source (the interrupt budget comes after they load)", () => {
    // 1,200 files: enough for the walk to start a worker (scan/scan-tree.ts); one of them holds a
    // token, so the findings' hashing (node:crypto) loads too.
    const dir = tempDir("leakstop-budget-");
    for (let i = 0; i < 1200; i++) writeFileSync(join(dir, `f${i}.txt`), `line ${i}\n`);
    writeFileSync(join(dir, "app.env"), `TOKEN=${crcToken("ghp_")}\n`);
    const out = join(tempDir("leakstop-budget-out-"), "report.json");
    const bin = join(ROOT, "bin", "leakstop.js");
    // V8 prints what each code cache became on stdout; the report goes to a file.
    const p = spawnSync(
      process.execPath,
      ["--profile-deserialization", bin, "scan", dir, "--threads", "2", "--format", "json", "--no-progress", "-o", out],
      { encoding: "utf8" },
    );
    assert.equal(p.status, 1, p.stderr);
    assert.equal((JSON.parse(readFileSync(out, "utf8")) as unknown[]).length, 1);
    assert.match(p.stdout, /Deserializing from/, "V8 reports the caches it read");
    assert.equal(p.stdout.match(/Cached code failed check/g)?.length ?? 0, 0, "no code cache refused");
  });

  it("the interrupt budget is set by the last of a pool's threads to load, not before", () => {
    // Each thread counts itself in the shared array once loaded; V8's flag hash (in a code cache's
    // header) tells whether the budget is set. Two threads here, a third that comes too late changes nothing.
    const work = tempDir("leakstop-gate-");
    const tiering = JSON.stringify(pathToFileURL(join(ROOT, "dist", "src", "scan", "tiering.js")).href);
    writeFileSync(
      join(work, "gate.mjs"),
      `import { Worker } from "node:worker_threads";
import { Script } from "node:vm";
const hash = () => new Script("0").createCachedData().readUInt32LE(12);
const loaded = new Int32Array(new SharedArrayBuffer(8));
loaded[1] = 2;
const loadOne = () => new Promise((resolve, reject) => {
  const w = new Worker("import(" + JSON.stringify(${tiering}) + ").then((t) => { t.optimiseOnlyHotCode(require('node:worker_threads').workerData); require('node:worker_threads').parentPort.postMessage(0); })", { eval: true, workerData: loaded });
  w.once("message", () => w.terminate().then(resolve));
  w.once("error", reject);
});
const before = hash();
await loadOne();
const afterOne = hash();
await loadOne();
process.stdout.write(JSON.stringify([afterOne === before, hash() === before, loaded[0]]));`,
    );
    const p = spawnSync(process.execPath, [join(work, "gate.mjs")], { encoding: "utf8" });
    assert.equal(p.status, 0, p.stderr);
    assert.deepEqual(JSON.parse(p.stdout), [true, false, 2]);
  });

  it("is what a worker runs when present", () => {
    const r = workerScan(packageWith(readFileSync(BUNDLE, "utf8")));
    assert.equal(r.findings, 1, r.stderr);
    assert.ok(
      r.mods.some((m) => m.endsWith("/bin/scan-worker.js")),
      "the trace sees the launcher",
    );
    assert.ok(!usedSrc(r.mods), "no dist/src worker");
  });

  it("without it, or with a stale or broken one, a worker runs dist/src and still finds the token", () => {
    const real = readFileSync(BUNDLE, "utf8");
    // Records are [path, size, mtime]: claim another size for one file, as after a later tsc.
    const stale = real.replace(
      /\["src\/scan\/worker\.js", (\d+),/,
      (_m, size) => `["src/scan/worker.js", ${Number(size) + 1},`,
    );
    assert.notEqual(stale, real, "the bundle records its inputs");
    for (const bundle of [null, stale, 'throw new Error("half-written bundle");\n']) {
      const r = workerScan(packageWith(bundle));
      assert.equal(r.findings, 1, r.stderr);
      assert.ok(usedSrc(r.mods), "fell back to dist/src");
    }
  });
});
