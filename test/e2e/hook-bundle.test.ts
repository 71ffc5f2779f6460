/**
 * `hook run` starts from the build's single-file bundle (dist/hook-run.cjs) when it is there and
 * up to date, and from dist/src otherwise: a missing, stale or broken bundle never breaks the hook.
 * Each case runs a copy of the launcher next to a dist/ whose src/ is the real one (a symlink) and
 * whose bundle is the case's, and reads from an import trace whether node loaded dist/src (the
 * launcher compiles the bundle itself, with V8's code cache, so the bundle is not in the trace).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";
import { NPM_PACKED_MTIME_MS } from "../../src/lib/npm-packed.js";
import { packageWith as packageIn, ROOT, tempDir } from "../helpers/bundle-package.js";
import { tempRepos } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";

const TRACER = fileURLToPath(new URL("../helpers/trace-imports.js", import.meta.url));
const BUNDLE = join(ROOT, "dist", "hook-run.cjs");
const CACHE = join(ROOT, "dist", "hook-run.cache");
const repo = tempRepos();
/** A package folder: bin/leakstop.js (copied), the case's bundle, links to the real dist/src, detectors and node_modules. */
const HOOK_PACKAGE = {
  name: "hook-run",
  launchers: ["leakstop.js"],
  links: ["dist/src", "dist/detectors.bundle", "detectors", "node_modules"],
};
const packageWith = (bundle: string | null, cache: Buffer | null = null) => packageIn(HOOK_PACKAGE, bundle, cache);

/** Runs `hook run` of `pkg` in a repository with a staged token; returns the exit code and the modules loaded. */
function hookRun(pkg: string): { code: number; stderr: string; mods: string[] } {
  const r = repo();
  r.write({ "app.env": `TOKEN=${crcToken("ghp_")}\n` });
  const trace = join(tempDir("leakstop-trace-"), "imports.txt");
  writeFileSync(trace, "");
  const p = spawnSync(process.execPath, ["--import", TRACER, join(pkg, "bin", "leakstop.js"), "hook", "run"], {
    cwd: r.dir,
    env: { ...process.env, LEAKSTOP_TRACE_IMPORTS: trace, NO_COLOR: "1" },
    encoding: "utf8",
  });
  return { code: p.status ?? -1, stderr: p.stderr, mods: readFileSync(trace, "utf8").split("\n").filter(Boolean) };
}

const usedSrc = (mods: string[]) => mods.some((m) => m.endsWith("/dist/src/cli/main.js"));
/** The engine ran (re2 loaded) and not from dist/src: from the bundle. */
const usedBundle = (mods: string[]) => mods.some((m) => m.includes("/re2/")) && !usedSrc(mods);

describe("hook run's single-file bundle", () => {
  it("the build wrote it, and it holds no pipeline package", () => {
    const meta = JSON.parse(readFileSync(join(ROOT, "dist", "hook-run.meta.json"), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    assert.ok(inputs.some((p) => p.endsWith("dist/src/scan/scan-staged.js")));
    assert.deepEqual(
      inputs.filter((p) => p.includes("node_modules/")),
      [],
      "npm packages stay outside the bundle",
    );
  });

  it("it and the detector bundle are ASCII (one other character makes node hold a file as two-byte text)", () => {
    for (const file of [BUNDLE, join(ROOT, "dist", "detectors.bundle")]) {
      const text = readFileSync(file, "utf8");
      assert.equal(text.search(/[^\x00-\x7f]/), -1, file);
    }
    // The escapes keep their meaning: the masked-value pattern still knows "…".
    assert.match(readFileSync(BUNDLE, "utf8"), /\\u2026/);
  });

  it("is what hook run loads when present, and blocks the token", () => {
    const r = hookRun(packageWith(readFileSync(BUNDLE, "utf8")));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedBundle(r.mods), "the bundle was loaded");
    assert.ok(!usedSrc(r.mods), "dist/src/cli/main.js was not");
  });

  it("without it, hook run loads dist/src and still blocks", () => {
    const r = hookRun(packageWith(null));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedSrc(r.mods));
  });

  it("a stale bundle (a compiled file changed since) is not used", () => {
    const text = readFileSync(BUNDLE, "utf8");
    // Records are [path, size, mtime]: claim another size for one file, as after a later tsc.
    const stale = text.replace(
      /\["src\/lib\/errors\.js", (\d+),/,
      (_m, size) => `["src/lib/errors.js", ${Number(size) + 1},`,
    );
    assert.notEqual(stale, text, "the bundle records its inputs");
    const r = hookRun(packageWith(stale));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedSrc(r.mods), "fell back to dist/src");
  });

  it("an install from npm's tarball (every file at npm's fixed mtime) uses it; a file edited after is stale", () => {
    const pkg = packageWith(readFileSync(BUNDLE, "utf8"), readFileSync(CACHE));
    const src = join(pkg, "dist", "src");
    rmSync(src); // the link: these files get npm's mtime, not the build's
    cpSync(join(ROOT, "dist", "src"), src, { recursive: true });
    const packed = new Date(NPM_PACKED_MTIME_MS);
    const files = readdirSync(src, { recursive: true, encoding: "utf8" }).map((f) => join(src, f));
    for (const f of [...files, join(pkg, "dist", "hook-run.cjs"), join(pkg, "dist", "hook-run.cache")])
      utimesSync(f, packed, packed);
    const r = hookRun(pkg);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedBundle(r.mods), "the bundle was loaded");

    utimesSync(join(src, "lib", "errors.js"), new Date(), new Date());
    const edited = hookRun(pkg);
    assert.equal(edited.code, 1, edited.stderr);
    assert.ok(usedSrc(edited.mods), "fell back to dist/src");
  });

  it("the build wrote a code cache that V8 accepts for the built bundle, with its CRC-32", () => {
    const cache = readFileSync(CACHE);
    const st = statSync(BUNDLE);
    const tag = `leakstop-hook-cache ${st.size} ${st.mtimeMs} `;
    const eol = cache.indexOf(10);
    assert.equal(cache.toString("latin1", 0, tag.length), tag, "the cache names the bundle it was made from");
    const data = cache.subarray(eol + 1);
    assert.equal(cache.toString("latin1", tag.length, eol), String(crc32(data)), "and the CRC-32 of its payload");
    const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, "utf8")}\n})`;
    const script = new Script(wrapped, { filename: BUNDLE, cachedData: data });
    assert.equal(script.cachedDataRejected, false);
  });

  it("a code cache made for another bundle is never used, even when V8 would take it", () => {
    // Same length as the real bundle (all V8 checks), other code: run from the cache it would
    // behave as the real bundle; compiled from its source it throws, and the hook falls back.
    const real = readFileSync(BUNDLE, "utf8");
    const broken = 'throw new Error("not the bundle the cache was made for");'.padEnd(real.length, " ");
    const r = hookRun(packageWith(broken, readFileSync(CACHE)));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedSrc(r.mods), "fell back to dist/src");
  });

  it("a broken bundle is not fatal either", () => {
    const r = hookRun(packageWith('throw new Error("half-written bundle");\n'));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedSrc(r.mods));
  });
});
