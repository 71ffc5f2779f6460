import type { AllowlistSpec, EngineSettings, RuleSpec } from "./rule-spec.js";

/** The final rule list, allowlists and engine settings a scan runs with (built by config/ruleset.ts). */
export interface RuleSet {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
  settings: EngineSettings;
  /** Imported rules that could not be used, as `id (why)` (gitleaks path-only rules…). */
  skipped: string[];
}
