/**
 * The scan's worker threads start from the build's single-file bundle (dist/scan-worker.cjs, through
 * bin/scan-worker.js) when it is there and up to date, and from dist/src/scan/worker.js otherwise: a
 * missing, stale or broken bundle never breaks a scan. Each case starts a worker from a copy of the
 * launcher next to a dist/ whose src/ is the real one (a symlink) and whose bundle is the case's, has it
 * scan a file, and reads from an import trace whether the thread loaded dist/src.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";
import { optimiseOnlyHotCode } from "../../src/scan/tiering.js";
import { packageWith as packageIn, ROOT, tempDir } from "../helpers/bundle-package.js";
import { crcToken } from "../helpers/secrets.js";

const TRACER = fileURLToPath(new URL("../helpers/trace-imports.js", import.meta.url));
const BUNDLE = join(ROOT, "dist", "scan-worker.cjs");
const CACHE = join(ROOT, "dist", "scan-worker.cache");
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

const usedSrc = (mods: string[]) => mods.some((m) => m.endsWith("/dist/src/scan/worker.js"));

describe("the scan workers' single-file bundle", () => {
  it("the build wrote it with a code cache V8 accepts under a history scan's flags (tagged with the bundle and the CRC-32 of its payload), and no package in it", () => {
    const meta = JSON.parse(readFileSync(join(ROOT, "dist", "scan-worker.meta.json"), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    assert.ok(inputs.some((p) => p.endsWith("dist/src/scan/worker.js")));
    assert.deepEqual(
      inputs.filter((p) => p.includes("node_modules/")),
      [],
    );
    const cache = readFileSync(CACHE);
    const st = statSync(BUNDLE);
    const tag = `leakstop-hook-cache ${st.size} ${st.mtimeMs} `;
    const eol = cache.indexOf(10);
    assert.equal(cache.toString("latin1", 0, tag.length), tag);
    const data = cache.subarray(eol + 1);
    assert.equal(cache.toString("latin1", tag.length, eol), String(crc32(data)));
    const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, "utf8")}\n})`;
    // Made for history scans' workers: under the flags of the child node bin/leakstop.js runs them in,
    // and the budget the scan sets before starting them (scan/tiering.ts).
    setFlagsFromString("--max-semi-space-size=2");
    optimiseOnlyHotCode();
    assert.equal(new Script(wrapped, { filename: BUNDLE, cachedData: data }).cachedDataRejected, false);
  });

  it("is what a worker runs when present", () => {
    const r = workerScan(packageWith(readFileSync(BUNDLE, "utf8"), readFileSync(CACHE)));
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
