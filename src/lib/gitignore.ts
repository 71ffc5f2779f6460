/**
 * The `ignore` package (.gitignore matching), required rather than imported: importing a CommonJS
 * package from an ES module makes node lex its source for named exports, which costs this one
 * ~40 ms of every start-up (the pre-commit hook's included).
 */
import { createRequire } from "node:module";

export type { Ignore } from "ignore";
export const ignore = createRequire(import.meta.url)("ignore") as typeof import("ignore");
