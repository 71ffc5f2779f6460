/** Built-in detectors + the user's config → the final rule list, allowlists and engine settings. */
import { readFileSync } from "node:fs";
import type { DetectorSet } from "../rules/load-detectors.js";
import type { RuleSet } from "../rules/rule-set.js";
import { Problems, throwProblems } from "../rules/toml-schema.js";
import type { ConfigFile } from "./config-file.js";
import { mergeConfigRules, ruleSources } from "./config-rules.js";

/**
 * The problems of merging a config file's rules with the others, placed at their lines: the file is
 * read again only when a problem needs its position.
 */
function configProblems(config: ConfigFile): Problems {
  const p = new Problems();
  p.locate(config.path, () => {
    try {
      return readFileSync(config.path, "utf8");
    } catch {
      return "";
    }
  });
  return p;
}

/**
 * @param opts.examples keep the built-in rules' examples (default true; a scan passes false, since
 *   only `rules test` and the tests run them)
 * @param opts.builtin the built-in detectors, when the caller loaded them already (the hook does,
 *   while git works)
 */
export function buildRuleSet(
  config: ConfigFile | null,
  issuersFromEnv: string[],
  opts: { examples?: boolean; builtin?: DetectorSet } = {},
): RuleSet {
  const { byId, allowlists, skipped } = ruleSources(config, {
    examples: opts.examples ?? true,
    ...(opts.builtin ? { builtin: opts.builtin } : {}),
  });
  if (config) {
    const p = configProblems(config);
    mergeConfigRules(config, byId, p);
    // The config's own allowlist regexes were checked when it was read (config/config-file.ts).
    throwProblems(p, "LS_CONFIG_INVALID");
    allowlists.push(...config.allowlists);
  }
  const issuers = [...new Set([...(config?.issuers ?? []), ...issuersFromEnv])];
  return { rules: [...byId.values()], allowlists, settings: { issuers }, skipped };
}
