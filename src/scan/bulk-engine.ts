/** The engine of a thread that scans a tree's or a big file's bytes (megabytes, not a commit's kilobytes). */
import { compileEngine, type Engine, onlyUserRules } from "../detection/compile.js";
import type { RuleSet } from "../rules/rule-set.js";

/**
 * Built-in rules compiled lazily, and a keyword prefilter that reads the texts in bulk
 * (detection/keyword-prefilter.ts: no lower-cased copy of the first 4 MiB, one RE2.Set instead of two).
 * Every thread of a tree scan and every big-file chunk worker builds this one (a tree scan's worker
 * used to lower-case its first 4 MiB, then compile the second set anyway).
 */
export function bulkEngine(ruleSet: RuleSet): Engine {
  const engine = compileEngine(ruleSet, onlyUserRules);
  engine.prefilter.readInBulk();
  return engine;
}
