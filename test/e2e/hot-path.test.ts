/**
 * The scan path never loads the pipeline's heavy modules (SPEC: hot paths stay lean), and a
 * pre-commit-sized scan loads only what it uses: the prebuilt detector bundle instead of the TOML
 * parser, and no worker thread.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { GitRepo } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { CLI } from "./cli.js";

const TRACER = fileURLToPath(new URL("../helpers/trace-imports.js", import.meta.url));
// The service config is the service side's too: a scan never resolves REDIS_URL, [webhooks] and the like.
const FORBIDDEN =
  /node_modules\/(bullmq|ioredis|fastify|@fastify|@octokit|simple-git|prom-client)\/|\/dist\/src\/config\/service-(config|fields)\.js$/;

function loadedModules(args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): string[] {
  const trace = join(mkdtempSync(join(tmpdir(), "leakstop-trace-")), "imports.txt");
  writeFileSync(trace, "");
  const r = spawnSync(process.execPath, ["--import", TRACER, CLI, ...args], {
    cwd,
    env: { ...process.env, LEAKSTOP_TRACE_IMPORTS: trace, ...env },
    encoding: "utf8",
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return readFileSync(trace, "utf8").split("\n").filter(Boolean);
}

describe("hot path", () => {
  // From scan's single-file bundle (what the build makes), and from dist/src (without it).
  const SCAN_FROM = [{}, { LEAKSTOP_NO_SCAN_BUNDLE: "1" }];

  it("scan loads no queue, Redis, HTTP server or GitHub client module", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-hot-"));
    writeFileSync(join(dir, "a.env"), "A=1\n");
    for (const env of SCAN_FROM) {
      const mods = loadedModules(["scan", dir, "--no-progress"], undefined, env);
      assert.ok(
        mods.some((m) => m.includes("/re2/")),
        "the trace works: re2 is seen",
      );
      assert.deepEqual(
        mods.filter((m) => FORBIDDEN.test(m)),
        [],
      );
    }
  });

  it("a scan of a few files reads the detector bundle: no TOML parser, no worker thread", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-hot-"));
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `f${i}.ts`), `export const apiKey${i} = process.env.K${i};\n`);
    for (const env of SCAN_FROM) {
      const mods = loadedModules(["scan", dir, "--no-progress", "--threads", "2"], undefined, env);
      assert.ok(
        mods.some((m) => m.includes("/re2/")),
        "the trace works: the engine is seen",
      );
      assert.deepEqual(
        mods.filter((m) => /node_modules\/smol-toml\/|\/scan\/worker\.js$|\/bin\/scan-worker\.js$/.test(m)),
        [],
      );
    }
  });

  it("scan runs from its single-file bundle, which holds no pipeline module", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-hot-"));
    writeFileSync(join(dir, "a.env"), "A=1\n");
    const bundled = loadedModules(["scan", dir, "--no-progress"]);
    assert.ok(!bundled.some((m) => m.includes("/dist/src/")), "no module of dist/src was loaded");
    const plain = loadedModules(["scan", dir, "--no-progress"], undefined, { LEAKSTOP_NO_SCAN_BUNDLE: "1" });
    assert.ok(
      plain.some((m) => m.endsWith("/dist/src/cli/commands/scan.js")),
      "without it, dist/src",
    );
    const meta = JSON.parse(readFileSync(new URL("../../scan-run.meta.json", import.meta.url), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    assert.ok(inputs.some((p) => p.endsWith("dist/src/scan/scan-tree.js")));
    assert.deepEqual(
      inputs.filter((p) => p.includes("node_modules/") || /\/dist\/src\/(report|queue|redis|server)\//.test(p)),
      [],
    );
  });

  it("--version is answered by the launcher: no module of dist/ or node_modules, package.json's version", () => {
    for (const flag of ["--version", "-V"]) {
      const mods = loadedModules([flag]);
      assert.ok(
        mods.some((m) => m.endsWith("/bin/leakstop.js")),
        "the trace works: the launcher is seen",
      );
      assert.deepEqual(
        mods.filter((m) => m.includes("/dist/") || m.includes("/node_modules/")),
        [],
      );
      const r = spawnSync(process.execPath, [CLI, flag], { encoding: "utf8" });
      const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
        version: string;
      };
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `leakstop ${pkg.version}\n`);
      assert.equal(r.stderr, "");
    }
  });

  it("hook run (what the pre-commit hook runs) loads none of them, nor the output formatters", () => {
    const repo = GitRepo.init();
    try {
      repo.write({ "app.env": `TOKEN=${crcToken("ghp_")}\n` });
      // From the single-file bundle (what the build makes), and from dist/src (without it).
      for (const env of [{}, { LEAKSTOP_NO_HOOK_BUNDLE: "1" }]) {
        const mods = loadedModules(["hook", "run"], repo.dir, env);
        assert.ok(
          mods.some((m) => m.includes("/re2/")),
          "the trace works: the engine is seen",
        );
        assert.deepEqual(
          mods.filter((m) => FORBIDDEN.test(m) || /\/dist\/src\/output\/(sarif|github|json)/.test(m)),
          [],
        );
      }
    } finally {
      repo.remove();
    }
  });

  it("a hook run that finds nothing never loads node:crypto (hashes and signature checks load it on first use)", () => {
    const repo = GitRepo.init();
    try {
      // `token` and `eyJ` select rules (the generic family, JWT) that then match nothing.
      repo.write({ "app.ts": "export const token = readToken(); // eyJ header parsing lives elsewhere\n" });
      for (const env of [{}, { LEAKSTOP_NO_HOOK_BUNDLE: "1" }]) {
        const mods = loadedModules(["hook", "run"], repo.dir, env);
        assert.ok(
          mods.some((m) => m.startsWith("node:")),
          "the trace works: built-in modules are seen",
        );
        assert.deepEqual(
          mods.filter((m) => /^node:(node:)?crypto$/.test(m)),
          [],
        );
      }
    } finally {
      repo.remove();
    }
  });

  it("rules list loads none of them either", () => {
    const mods = loadedModules(["rules", "list"]);
    assert.deepEqual(
      mods.filter((m) => FORBIDDEN.test(m)),
      [],
    );
  });
});
