/**
 * The `ignore` package (.gitignore matching), required rather than imported: importing a CommonJS
 * package from an ES module makes node lex its source for named exports, which costs this one
 * ~40 ms of every start-up (the pre-commit hook's included). Required on first use, too: a scan
 * with no exclude patterns (the hook, usually) never loads it.
 */
import { createRequire } from "node:module";

export type { Ignore } from "ignore";

type Factory = typeof import("ignore");

let factory: Factory | undefined;

/** `ignore()` of the `ignore` package: a new matcher. */
export function ignore(): import("ignore").Ignore {
  factory ??= createRequire(import.meta.url)("ignore") as Factory;
  return factory();
}
