/**
 * The server stays on its side of the layering: from `leakstop server` down, no
 * module of the scan side is reachable (only src/lib and src/keyformat are
 * shared) except through one door, registry/secret-screen (the detection engine
 * that screens free-text fields for credentials), and that door leads to the
 * engine only: never the scan use case, its worker pool, sources or output.
 * Walks the compiled import graph statically.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const DIST_SRC = fileURLToPath(new URL("../../../src/", import.meta.url));
const SCAN_SIDE = ["scan", "detection", "rules", "sources", "findings", "output", "config"];
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** Every module reachable from `entry`, as paths relative to dist/src, plus the bare packages imported. */
function reachable(entry: string, stopAt: string[] = []): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(DIST_SRC, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = relative(DIST_SRC, file);
    if (modules.has(rel)) continue;
    modules.add(rel);
    if (stopAt.includes(rel)) continue;
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT_RE)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) queue.push(resolve(dirname(file), spec));
      else if (!spec.startsWith("node:")) packages.add(spec.startsWith("@") ? spec : spec.split("/")[0]!);
    }
  }
  return { modules, packages };
}

describe("server layering", () => {
  it("reaches the detection engine only through the secret screen, and never the scan use case", () => {
    const { modules } = reachable("registry/secret-screen.js");
    const outside = [...modules].filter(
      (m) => ["scan", "output"].includes(m.split("/")[0]!) || m === "sources/tree.js",
    );
    assert.deepEqual(outside, []);
    assert.ok(modules.has("detection/detect.js"));
  });

  it("never reaches the scan side or re2 from leakstop server but through the secret screen", () => {
    const { modules, packages } = reachable("cli/commands/server.js", ["registry/secret-screen.js"]);
    assert.ok(modules.has("registry/secret-screen.js"), "the server screens free text");
    assert.ok(modules.has("server/app.js") && modules.has("registry/index.js"), "the walk follows imports");
    // The service config lives in config/ but is the service side's: it imports only lib/.
    const serviceConfig = ["config/service-config.js", "config/service-fields.js"];
    const offending = [...modules].filter((m) => SCAN_SIDE.includes(m.split("/")[0]!) && !serviceConfig.includes(m));
    assert.deepEqual(offending, []);
    assert.ok(!packages.has("re2"), "re2 is the scan side's regex engine");
    assert.ok(packages.has("fastify") && packages.has("ioredis"));
  });
});
