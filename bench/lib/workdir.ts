/**
 * Generated corpora live in git-ignored folders under bench/ (bench/.corpus, bench/.work).
 * Biome does not read .gitignore here, so each such folder gets a nested biome.json that
 * excludes everything below it: otherwise `npm run lint` would lint 20,000 generated files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const NESTED_BIOME = `${JSON.stringify({ root: false, extends: "//", files: { includes: ["!**"] } })}\n`;

/** Creates `dir` (git-ignored) and keeps the linter out of it. */
export function prepareWorkDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "biome.json"), NESTED_BIOME);
}
