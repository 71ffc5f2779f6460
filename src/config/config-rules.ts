/**
 * A config file's rules merged with the others (built-in, extra detector files, gitleaks imports):
 * overrides by id, new rules, disabled rules. Shared by the rule set's build and by the config
 * file's own check, which runs it when the file has problems already, so a user sees in one run
 * both what is wrong in the file and what only the merge finds (an unknown id, an override's
 * unknown validator or missing group).
 */

import { countGroups } from "../rules/count-groups.js";
import { loadBuiltinDetectors } from "../rules/detector-bundle.js";
import { ruleHead } from "../rules/lazy-rule.js";
import { type DetectorSet, loadDetectorFiles } from "../rules/load-detectors.js";
import { checkRuleTableRegexes, secretGroupOf } from "../rules/regex-check.js";
import type { AllowlistSpec, RuleSpec } from "../rules/rule-spec.js";
import type { KeyPath } from "../rules/toml-locate.js";
import { completeRule, composeIfContext, type Problems } from "../rules/toml-schema.js";
import { getValidator } from "../rules/validators/index.js";
import { loadGitleaksFile } from "./gitleaks.js";

/** What of a config file the merge reads (config-file.ts's ConfigFile has it all). */
export interface RuleConfig {
  path: string;
  useBuiltin: boolean;
  gitleaksFiles: string[];
  ruleFiles: string[];
  rules: Partial<RuleSpec>[];
  disabledRules: string[];
}

/** The rules a config's own rules are merged into, by id, in order. */
export interface RuleSources {
  byId: Map<string, RuleSpec>;
  allowlists: AllowlistSpec[];
  /** gitleaks rules left out, with why (named under --verbose). */
  skipped: string[];
}

/** What only a new rule says: an override of a rule that exists changes other fields. */
const NEW_RULE_KEYS = ["provider", "description", "regex", "context"] as const;

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
 * The built-in detectors (unless the config or an imported gitleaks file says not to), the config's
 * extra detector files and its gitleaks imports, by id.
 * @param opts.examples keep the built-in rules' examples
 * @param opts.builtin the built-in detectors, when the caller loaded them already
 */
export function ruleSources(
  config: RuleConfig | null,
  opts: { examples: boolean; builtin?: DetectorSet },
): RuleSources {
  const imports = (config?.gitleaksFiles ?? []).map(loadGitleaksFile);
  // A gitleaks file's own `[extend] useDefault = false` means the same as ours.
  const useBuiltin = (!config || config.useBuiltin) && imports.every((i) => i.useDefault);
  const builtin = useBuiltin
    ? (opts.builtin ?? loadBuiltinDetectors({ examples: opts.examples }))
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
  }
  return { byId, allowlists, skipped };
}

/**
 * Merges the config's rules into `byId` (overrides by id, new rules), removes its disabled rules,
 * and checks what only the merged rules show; every problem goes to `p`, placed in the config file.
 * A rule table without an id is left out (its file check said so).
 */
export function mergeConfigRules(config: RuleConfig, byId: Map<string, RuleSpec>, p: Problems): void {
  for (const patch of config.rules) {
    if (patch.id === undefined) continue;
    const base = byId.get(patch.id);
    if (!base && NEW_RULE_KEYS.every((k) => patch[k] === undefined)) {
      // Only changes, as an override says them: most likely a mistyped id.
      p.add(
        `${patch.origin}: rule "${patch.id}"`,
        `no rule "${patch.id}" to override (see leakstop rules list); a new rule needs "provider", "description" and "regex"`,
        ["rules", { id: patch.id }, "id"],
      );
      continue;
    }
    const rule = base ? override(base, patch, p) : completeRule(patch, false, p);
    if (!rule) continue;
    byId.set(rule.id, rule);
    checkMerged(rule, patch, p);
  }
  config.disabledRules.forEach((id, n) => {
    if (!byId.delete(id)) p.add(config.path, `disabledRules names unknown rule "${id}"`, ["disabledRules", n]);
  });
}

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
 * What the engine would refuse when it compiles a merged rule of the config's, said now with the
 * file's other problems and at the key that causes it: an unknown validator, a secret group the
 * regex lacks, a composed regex that does not compile (the table's own regex was checked already).
 */
function checkMerged(rule: RuleSpec, patch: Partial<RuleSpec>, p: Problems): void {
  const where = `${patch.origin}: rule "${rule.id}"`;
  const at = (key: string): KeyPath => ["rules", { id: rule.id }, key];
  if (patch.validator !== undefined && !getValidator(patch.validator))
    p.add(where, `unknown validator "${patch.validator}"`, at("validator"));
  if (patch.regex === undefined && (patch.context !== undefined || patch.value !== undefined))
    checkRuleTableRegexes({ regex: rule.regex }, where, p, ["rules", { id: rule.id }]);
  if (patch.regex !== undefined || patch.secretGroup !== undefined) {
    const groups = countGroups(rule.regex);
    const group = secretGroupOf(rule);
    if (rule.secretGroups === undefined && group > groups)
      p.add(
        where,
        `secretGroup ${group} but the regex has ${groups} capture group(s)`,
        at(patch.secretGroup !== undefined ? "secretGroup" : "regex"),
      );
  }
}
