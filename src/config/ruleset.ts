/** Built-in detectors + the user's config → the final rule list, allowlists and engine settings. */
import { readFileSync } from "node:fs";
import { loadBuiltinDetectors } from "../rules/detector-bundle.js";
import { ruleHead } from "../rules/lazy-rule.js";
import { type DetectorSet, loadDetectorFiles } from "../rules/load-detectors.js";
import type { RuleSet } from "../rules/rule-set.js";
import type { RuleSpec } from "../rules/rule-spec.js";
import { completeRule, composeIfContext, Problems, throwProblems } from "../rules/toml-schema.js";
import type { ConfigFile } from "./config-file.js";
import { loadGitleaksFile } from "./gitleaks.js";

/** Fields whose value must compile: an override that gives one makes the rule the user's to check. */
const COMPILED_FIELDS = [
  "regex",
  "context",
  "value",
  "also",
  "path",
  "secretGroup",
  "validator",
  "allowlists",
] as const;

/**
 * Merges a partial override into a built-in rule: fields given replace the built-in's. A rule
 * whose regex, path, allowlists, group or validator the user replaced takes the config file as
 * its origin, so it is compiled up front (a bad regex is an error now, naming the config file,
 * not a silent no-op in a tree that happens not to hold the rule's keyword).
 */
function override(base: RuleSpec, patch: Partial<RuleSpec>, p: Problems): RuleSpec {
  const merged = { ...base };
  for (const [k, v] of Object.entries(patch))
    if (v !== undefined && k !== "origin") (merged as Record<string, unknown>)[k] = v;
  if (patch.regex !== undefined) {
    // The user's own regex replaces the composed one: the rule is no longer a context rule.
    for (const k of ["context", "value", "also", "secretGroups"] as const) delete merged[k];
  } else if (patch.context !== undefined || patch.value !== undefined || patch.also !== undefined) {
    // A changed name or shape: compose again from the merged context data.
    const { regex: _r, secretGroups: _g, ...rest } = merged;
    const recomposed: Partial<RuleSpec> = rest;
    composeIfContext(recomposed, `${patch.origin}: rule "${base.id}"`, p);
    Object.assign(merged, recomposed);
  }
  // The built-in's exact keywords are literals of its own regex: another regex need not hold them.
  const newRegex = [patch.regex, patch.context, patch.value, patch.also].some((v) => v !== undefined);
  if (newRegex && patch.exactKeywords === undefined) delete merged.exactKeywords;
  if (patch.origin && COMPILED_FIELDS.some((k) => patch[k] !== undefined)) merged.origin = patch.origin;
  return merged;
}

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
  const imports = (config?.gitleaksFiles ?? []).map(loadGitleaksFile);
  // A gitleaks file's own `[extend] useDefault = false` means the same as ours.
  const useBuiltin = (!config || config.useBuiltin) && imports.every((i) => i.useDefault);
  const builtin = useBuiltin
    ? (opts.builtin ?? loadBuiltinDetectors({ examples: opts.examples ?? true }))
    : { rules: [], allowlists: [] };
  const byId = new Map(builtin.rules.map((r) => [ruleHead(r).id, r]));
  const allowlists = [...builtin.allowlists];
  const skipped: string[] = [];
  if (config) {
    const extra =
      config.ruleFiles.length > 0 ? loadDetectorFiles(config.ruleFiles, false) : { rules: [], allowlists: [] };
    for (const r of extra.rules) byId.set(r.id, r);
    allowlists.push(...extra.allowlists);
    for (const imported of imports) {
      for (const r of imported.rules) byId.set(r.id, r);
      allowlists.push(...imported.allowlists);
      skipped.push(...imported.skipped);
    }
    const p = configProblems(config);
    for (const patch of config.rules) {
      const base = patch.id ? byId.get(patch.id) : undefined;
      const rule = base ? override(base, patch, p) : completeRule(patch, false, p);
      if (rule) byId.set(rule.id, rule);
    }
    for (const id of config.disabledRules) {
      if (!byId.delete(id)) p.add(config.path, `disabledRules names unknown rule "${id}"`, ["disabledRules"]);
    }
    // The config's own allowlist regexes were checked when it was read (config/config-file.ts).
    throwProblems(p, "LS_CONFIG_INVALID");
    allowlists.push(...config.allowlists);
  }
  const issuers = [...new Set([...(config?.issuers ?? []), ...issuersFromEnv])];
  return { rules: [...byId.values()], allowlists, settings: { issuers }, skipped };
}
