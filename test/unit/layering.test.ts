/**
 * The import rules of `.dependency-cruiser.cjs` hold for src/: no folder imports upwards (order in
 * layers.cjs), no file-level cycle, no pipeline package (bullmq, ioredis, @octokit/*, fastify) on the
 * scan side, no src → test import. A file-level cycle check alone cannot see a folder that reaches up;
 * dependency-cruiser checks both, on the TypeScript sources (type-only imports included).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";

/** Tests run from the repository root. */
const ROOT = resolve(".");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
const BIN = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser on `cwd`/src with the project's rules. */
function cruise(cwd: string): { violations: Violation[]; modules: number; dependencies: number } {
  const r = spawnSync(process.execPath, [BIN, "src", "--config", CONFIG, "--output-type", "json"], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.ok(r.stdout, `depcruise printed nothing (exit ${r.status}): ${r.stderr}`);
  const { summary } = JSON.parse(r.stdout) as {
    summary: { violations: Violation[]; totalCruised: number; totalDependenciesCruised: number };
  };
  return {
    violations: summary.violations,
    modules: summary.totalCruised,
    dependencies: summary.totalDependenciesCruised,
  };
}

const edges = (vs: Violation[]) => vs.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

describe("layering (dependency-cruiser)", () => {
  it("src/ breaks none of the import rules", () => {
    const { violations, modules, dependencies } = cruise(ROOT);
    assert.ok(modules > 100 && dependencies > 500, `the cruise sees src/ (${modules} modules)`);
    assert.deepEqual(edges(violations), []);
  });

  it("catches an upward import (also from a sub-folder, dynamic; rules or config reaching into the engine), a cycle, a pipeline package on the scan side, re2 outside rules/ and the compile step, and src → test", () => {
    const root = mkdtempSync(join(tmpdir(), "leakstop-layers-"));
    try {
      const files: Record<string, string> = {
        "tsconfig.json": '{"compilerOptions":{"module":"NodeNext","moduleResolution":"NodeNext"}}\n',
        "src/scan/use.ts": 'import { x } from "../sources/git/low.js";\nexport const y = x;\n',
        "src/sources/git/low.ts": 'export const x = 1;\nexport const z = await import("../../scan/use.js");\n',
        "src/lib/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
        "src/lib/b.ts":
          'import { a } from "./a.js";\nimport { h } from "../../test/helper.js";\nexport const b = a + h;\n',
        "src/detection/queue.ts": 'import { Queue } from "bullmq";\nexport const q = Queue;\n',
        "src/detection/regex.ts": 'import type RE2 from "re2";\nexport type R = RE2;\n',
        "src/rules/check.ts": 'import type RE2 from "re2";\nexport type R = RE2;\n',
        "src/detection/detect.ts": 'import type RE2 from "re2";\nexport type R = RE2;\n',
        "src/rules/uses-engine.ts": 'import { x } from "../detection/engine.js";\nexport const r = x;\n',
        "src/detection/engine.ts": "export const x = 1;\n",
        "src/config/compiles.ts": 'import { x } from "../detection/engine.js";\nexport const c = x;\n',
        "src/output/oops.ts": 'import { x } from "../worker/w.js";\nexport const o = x;\n',
        "src/worker/w.ts": "export const x = 1;\n",
        "test/helper.ts": "export const h = 1;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      assert.deepEqual(edges(cruise(root).violations), [
        "layer-config: src/config/compiles.ts → src/detection/engine.ts",
        "layer-output: src/output/oops.ts → src/worker/w.ts",
        "layer-rules: src/rules/uses-engine.ts → src/detection/engine.ts",
        "layer-sources: src/sources/git/low.ts → src/scan/use.ts",
        "no-circular: src/lib/a.ts → src/lib/b.ts",
        "no-circular: src/scan/use.ts → src/sources/git/low.ts",
        "re2-only-rules-and-engine: src/detection/detect.ts → re2",
        "scan-side-no-pipeline-deps: src/detection/queue.ts → bullmq",
        "src-not-test: src/lib/b.ts → test/helper.ts",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
