/**
 * A package folder for the single-file bundle tests (hook-run, scan-worker): copies of some
 * launchers of bin/, the case's bundle and code cache as dist/NAME.cjs and dist/NAME.cache, and
 * links to the real dist/src and whatever else the launcher reads. Removed after the test file.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temporary folder removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export interface BundlePackage {
  /** The bundle's name under dist/ (hook-run, scan-worker). */
  name: string;
  /** Files of bin/ copied besides load-bundle.js and package.json. */
  launchers: string[];
  /** Paths under the package linked to the real ones (dist/src, node_modules, ...). */
  links: string[];
}

/** The package folder of `spec` with `bundle` (none when null) and `cache` (none when null). */
export function packageWith(spec: BundlePackage, bundle: string | null, cache: Buffer | null = null): string {
  const pkg = tempDir("leakstop-pkg-");
  mkdirSync(join(pkg, "bin"));
  mkdirSync(join(pkg, "dist"));
  for (const name of [...spec.launchers, "load-bundle.js", "package.json"])
    copyFileSync(join(ROOT, "bin", name), join(pkg, "bin", name));
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ type: "module" }));
  for (const rel of spec.links) symlinkSync(join(ROOT, rel), join(pkg, rel));
  if (bundle !== null) writeFileSync(join(pkg, "dist", `${spec.name}.cjs`), bundle);
  if (cache !== null) writeFileSync(join(pkg, "dist", `${spec.name}.cache`), cache);
  return pkg;
}
