/**
 * The repository scan's settings from the environment (one place, until the service config
 * gathers them): GITHUB_API_URL and GITHUB_TOKEN (or GH_TOKEN), the mirror cache
 * (LEAKSTOP_CACHE_DIR, one per worker host), the rules
 * (LEAKSTOP_CONFIG, LEAKSTOP_ISSUER), LEAKSTOP_THREADS, LEAKSTOP_MAX_FILE_SIZE, and
 * LEAKSTOP_REPORT_PUBLIC_KEY (revocable third-party secrets are sealed to it). The rules and the
 * scan engine load here, so a worker that never gets an org-scan job never loads them.
 */
import { buildRuleSet } from "../config/ruleset.js";
import { resolveScanConfig } from "../config/scan-config.js";
import { readSealKeyFile } from "../lib/sealed-box.js";
import { leakstopVersion } from "../lib/version.js";
import { revocableRuleIds } from "../queue/revocable-rules.js";
import { makeHistoryScanner } from "../scan/org-history.js";
import { rulesDigest } from "../sources/org/scan-state.js";
import type { ScanPart } from "./org-scan-processor.js";
import { orgScanEnv } from "./schedule-config.js";

/** Bumped with the engine: a new version scans whole histories again. */
const ENGINE_VERSION = leakstopVersion();

/** The scan side of a repository job: the rules, the history scanner, the cache and the seal key. */
export function scanDepsFromEnv(env: NodeJS.ProcessEnv): ScanPart {
  const settings = orgScanEnv(env);
  // stdin: true only turns off the implicit ./.leakstop.toml: a worker has no scanned root of its own.
  const cfg = resolveScanConfig({ noProgress: true, stdin: true }, env, false, false);
  const ruleSet = buildRuleSet(cfg.configFile, cfg.issuers, { examples: false });
  const keyPath = env.LEAKSTOP_REPORT_PUBLIC_KEY?.trim();
  const sealTo = keyPath ? readSealKeyFile(keyPath, "public") : null;
  return {
    token: settings.token,
    cacheDir: settings.cacheDir,
    sealTo,
    rulesDigest: rulesDigest({ version: ENGINE_VERSION, ruleSet }),
    scanHistory: makeHistoryScanner(ruleSet, {
      showSecrets: false,
      threads: cfg.threads,
      maxFileSize: cfg.maxFileSize,
      // Raw secrets leave the scan only for rules a provider can revoke, and only to be sealed.
      ...(sealTo ? { revealRules: revocableRuleIds() } : {}),
    }),
  };
}
