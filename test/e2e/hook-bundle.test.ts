/**
 * `hook run` starts from the build's single-file bundle (dist/hook-run.cjs) when it is there and
 * up to date, and from dist/src otherwise: a missing, stale or broken bundle never breaks the hook.
 * Each case runs a copy of the launcher next to a dist/ whose src/ is the real one (a symlink) and
 * whose bundle is the case's, and reads which entry point node loaded from an import trace.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempRepos } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TRACER = fileURLToPath(new URL("../helpers/trace-imports.js", import.meta.url));
const BUNDLE = join(ROOT, "dist", "hook-run.cjs");
const repo = tempRepos();
const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/**
 * A package folder: bin/ (copied), `bundle` as dist/hook-run.cjs, and links to the real
 * dist/src, detector bundle, detectors/ and node_modules/.
 */
function packageWith(bundle: string | null): string {
  const pkg = mkdtempSync(join(tmpdir(), "leakstop-pkg-"));
  made.push(pkg);
  mkdirSync(join(pkg, "bin"));
  mkdirSync(join(pkg, "dist"));
  for (const name of ["leakstop.js", "package.json"]) copyFileSync(join(ROOT, "bin", name), join(pkg, "bin", name));
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ type: "module" }));
  for (const rel of ["dist/src", "dist/detectors.bundle.json", "detectors", "node_modules"])
    symlinkSync(join(ROOT, rel), join(pkg, rel));
  if (bundle !== null) writeFileSync(join(pkg, "dist", "hook-run.cjs"), bundle);
  return pkg;
}

/** Runs `hook run` of `pkg` in a repository with a staged token; returns the exit code and the modules loaded. */
function hookRun(pkg: string): { code: number; stderr: string; mods: string[] } {
  const r = repo();
  r.write({ "app.env": `TOKEN=${crcToken("ghp_")}\n` });
  const trace = join(mkdtempSync(join(tmpdir(), "leakstop-trace-")), "imports.txt");
  made.push(join(trace, ".."));
  writeFileSync(trace, "");
  const p = spawnSync(process.execPath, ["--import", TRACER, join(pkg, "bin", "leakstop.js"), "hook", "run"], {
    cwd: r.dir,
    env: { ...process.env, LEAKSTOP_TRACE_IMPORTS: trace, NO_COLOR: "1" },
    encoding: "utf8",
  });
  return { code: p.status ?? -1, stderr: p.stderr, mods: readFileSync(trace, "utf8").split("\n").filter(Boolean) };
}

const usedBundle = (mods: string[]) => mods.some((m) => m.endsWith("/dist/hook-run.cjs"));
const usedSrc = (mods: string[]) => mods.some((m) => m.endsWith("/dist/src/cli/main.js"));

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

  it("a broken bundle is not fatal either", () => {
    const r = hookRun(packageWith('throw new Error("half-written bundle");\n'));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /commit blocked: 1 secret/);
    assert.ok(usedSrc(r.mods));
  });
});
