/** Built-in detectors + the user's config → the final rule list, allowlists and engine settings. */
import { builtinDetectorsDir, loadDetectorDir, loadDetectorFiles, throwProblems } from "../rules/load-detectors.js";
import type { AllowlistSpec, EngineSettings, RuleSpec } from "../rules/rule-spec.js";
import { completeRule, Problems } from "../rules/toml-schema.js";
import type { ConfigFile } from "./config-file.js";
import { loadGitleaksFile } from "./gitleaks.js";

export interface RuleSet {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
  settings: EngineSettings;
  /** Imported rules that could not be used (gitleaks path-only rules). */
  skipped: string[];
}

/** Merges a partial override into a built-in rule: fields given replace the built-in's. */
function override(base: RuleSpec, patch: Partial<RuleSpec>): RuleSpec {
  const merged = { ...base };
  for (const [k, v] of Object.entries(patch))
    if (v !== undefined && k !== "origin") (merged as Record<string, unknown>)[k] = v;
  return merged;
}

export function buildRuleSet(config: ConfigFile | null, issuersFromEnv: string[]): RuleSet {
  const builtin = !config || config.useBuiltin ? loadDetectorDir(builtinDetectorsDir()) : { rules: [], allowlists: [] };
  const byId = new Map(builtin.rules.map((r) => [r.id, r]));
  const allowlists = [...builtin.allowlists];
  const skipped: string[] = [];
  if (config) {
    const extra =
      config.ruleFiles.length > 0 ? loadDetectorFiles(config.ruleFiles, false) : { rules: [], allowlists: [] };
    for (const r of extra.rules) byId.set(r.id, r);
    allowlists.push(...extra.allowlists);
    for (const file of config.gitleaksFiles) {
      const imported = loadGitleaksFile(file);
      for (const r of imported.rules) byId.set(r.id, r);
      allowlists.push(...imported.allowlists);
      skipped.push(...imported.skipped);
    }
    const p = new Problems();
    for (const patch of config.rules) {
      const base = patch.id ? byId.get(patch.id) : undefined;
      const rule = base ? override(base, patch) : completeRule(patch, false, p);
      if (rule) byId.set(rule.id, rule);
    }
    for (const id of config.disabledRules) {
      if (!byId.delete(id)) p.add(config.path, `disabledRules names unknown rule "${id}"`);
    }
    throwProblems(p, "LS_CONFIG_INVALID");
    allowlists.push(...config.allowlists);
  }
  const issuers = [...new Set([...(config?.issuers ?? []), ...issuersFromEnv])];
  return { rules: [...byId.values()], allowlists, settings: { issuers }, skipped };
}
