#!/usr/bin/env node
// Build step after tsc: validates detectors/*.toml once and writes the precompiled bundle into dist/
// (see src/rules/detector-bundle.ts), each rule's record with what the engine works out from its regex
// (src/detection/search-hints.ts). A detector that does not load or compile fails the build.
import { rmSync } from "node:fs";
import { searchHintsOf } from "../dist/src/detection/search-hints.js";
import { defaultBundlePaths, writeDetectorBundle } from "../dist/src/rules/detector-bundle.js";
import { builtinDetectorsDir } from "../dist/src/rules/load-detectors.js";

try {
  // Builds before bundle format 3 wrote the rules as dist/detectors.bundle.json: nothing reads it now.
  rmSync(new URL("../dist/detectors.bundle.json", import.meta.url), { force: true });
  const { rules, files } = writeDetectorBundle(builtinDetectorsDir(), defaultBundlePaths(), searchHintsOf);
  process.stdout.write(`detectors: ${rules} rules from ${files} files bundled into dist/\n`);
} catch (err) {
  process.stderr.write(`build-detectors: ${err instanceof Error ? err.message : String(err)}\n`);
  for (const line of err?.problems?.slice(1) ?? []) process.stderr.write(`  ${line}\n`);
  process.exit(2);
}
