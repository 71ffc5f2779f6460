/**
 * leakstop's version: package.json's "version", the one place it is written. Read on first use
 * (a 2 KB file, no JSON module import), so `leakstop --version` stays as quick as before.
 */
import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The version, e.g. 0.1.0 (read once from the package's package.json, next to dist/). */
export function leakstopVersion(): string {
  // dist/src/lib/version.js → the package root (the Action and the hook bundle resolve it the same way).
  cached ??= (
    JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }
  ).version;
  return cached;
}
