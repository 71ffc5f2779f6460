/**
 * No folder imports upwards: the folders of src/ are ordered along the data flow (sources →
 * detection → findings → outputs → scan → queue → registry → …, entry points last) and a module may
 * import only from its own folder or a lower one. A file-level cycle check (madge) cannot see a
 * folder that reaches up; this walks every import of src/ statically. A folder missing from the
 * order counts as an entry point: it may import anything, nothing may import it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";

/** The TypeScript sources (tests run from the repository root): a stale file in dist/ cannot fool the walk. */
const SRC = resolve("src");
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.[^"']+)["']/g;

/** Lowest first. */
const LAYERS = [
  "lib",
  "keyformat",
  "findings",
  "sources",
  "rules",
  "detection",
  "output",
  "config",
  "scan",
  "redis",
  "queue",
  // The registry checks webhook URLs with notify's delivery policy at registration.
  "notify",
  "audit",
  "registry",
  "report",
  "revoke",
  "github",
  "scheduler",
  "worker",
  "server",
  // leakstop demo: a redis-server of its own and the CLI as child processes.
  "demo",
  "hook",
  "action",
  "cli",
];

function rankOf(folder: string): number {
  const i = LAYERS.indexOf(folder);
  return i === -1 ? LAYERS.length : i;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith(".ts") ? [p] : [];
  });
}

/** Every import in `root`'s .ts files that reaches a higher folder, and how many cross-folder imports were seen. */
function upwardImports(root: string): { upward: string[]; edges: number } {
  const folderOf = (file: string) => relative(root, file).split("/")[0]!;
  const upward: string[] = [];
  let edges = 0;
  for (const file of tsFiles(root)) {
    const from = folderOf(file);
    if (from.endsWith(".ts")) continue;
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT_RE)) {
      const to = folderOf(resolve(dirname(file), m[1]!));
      if (to === from) continue;
      edges++;
      if (rankOf(to) > rankOf(from)) upward.push(`${relative(root, file)} → ${m[1]}`);
    }
  }
  return { upward, edges };
}

describe("layering", () => {
  it("no module of src/ imports from a higher folder", () => {
    const { upward, edges } = upwardImports(SRC);
    assert.ok(edges > 50, "the walk sees the cross-folder imports");
    assert.deepEqual(upward, []);
  });

  it("catches an upward import, also from a sub-folder and through a dynamic import", () => {
    const root = mkdtempSync(join(tmpdir(), "leakstop-layers-"));
    mkdirSync(join(root, "sources", "git"), { recursive: true });
    mkdirSync(join(root, "scan"));
    writeFileSync(join(root, "scan", "use.ts"), 'import { x } from "../sources/git/low.js";\n');
    writeFileSync(join(root, "sources", "git", "low.ts"), 'export const x = await import("../../scan/use.js");\n');
    assert.deepEqual(upwardImports(root).upward, ["sources/git/low.ts → ../../scan/use.js"]);
  });
});
