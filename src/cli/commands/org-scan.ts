/**
 * `leakstop org-scan --org ORG`: GitHub lists the org's repositories → bare mirrors in the cache →
 * history scan of each (only new commits with --since-last) → one report → exit code.
 * Octokit loads here only, never on the scan or hook path.
 */

import { writeFileSync } from "node:fs";
import { type OrgScanSettings, resolveOrgScanSettings } from "../../config/org-scan-config.js";
import { buildRuleSet } from "../../config/ruleset.js";
import { resolveScanConfig, type ScanConfig } from "../../config/scan-config.js";
import { readBaseline, writeBaseline } from "../../findings/baseline.js";
import { detachRawSecrets, type Finding } from "../../findings/finding.js";
import { triageFindings } from "../../findings/triage.js";
import { createGitHubClient, DEFAULT_API_URL, gitHubError, normalizeApiUrl } from "../../github/client.js";
import { listOrgRepos, type OrgRepo } from "../../github/org-repos.js";
import { LeakstopError } from "../../lib/errors.js";
import { checkWritable, ioErrorText } from "../../lib/io-error.js";
import { leakstopVersion } from "../../lib/version.js";
import { renderFindings, toRuleInfo } from "../../output/index.js";
import type { RuleSet } from "../../rules/rule-set.js";
import { makeHistoryScanner } from "../../scan/org-history.js";
import { type HistoryScanner, scanOrgRepos } from "../../scan/scan-org.js";
import { defaultCacheDir } from "../../sources/org/cache-layout.js";
import { lockCache } from "../../sources/org/cache-lock.js";
import { rulesDigest } from "../../sources/org/scan-state.js";
import { parseCommandArgs } from "../parse-args.js";
import { sharedScanFlags } from "../scan-flags.js";
import { describeOutcome, describeRun } from "./org-scan-report.js";

const VERSION = leakstopVersion();

const HELP = `usage: leakstop org-scan --org ORG [options]

Scans the full git history of every repository of a GitHub organization. Repositories are kept as
bare mirrors in a cache folder and fetched again on each run.

  --org ORG               the organization (required)
  --since-last            scan only commits not scanned by an earlier run (state kept in the cache)
  --api-url URL           GitHub Enterprise Server API, e.g. https://github.example.com/api/v3 (default: api.github.com)
  --cache-dir DIR         mirrors and state (default: $XDG_CACHE_HOME/leakstop or ~/.cache/leakstop)
  --concurrency N         repositories cloned or fetched at once (default 4)
  --exclude-archived      skip archived repositories (default: scanned; --include-archived)
  --include-forks         scan forks too (default: skipped; --exclude-forks)
  --repo NAME             scan only these repositories (repeat, or comma-separated)
  --skip-repo NAME        leave these repositories out (repeat, or comma-separated)
  --format, -f FORMAT     text (default), json, jsonl, sarif, github
  --output, -o FILE       write the report to FILE instead of stdout
  --config, -c FILE       config file (rules, allowlists) applied to every repository
  --baseline FILE         ignore findings whose fingerprint is in FILE
  --write-baseline FILE   write the current findings' fingerprints to FILE
  --show-secrets          print raw secrets (default: redacted)
  --min-kind KIND         report only findings in files of KIND or more important (code > config > the rest)
  --threads N             worker threads for the history scans (default: number of cores)
  --max-file-size SIZE    skip blobs larger than SIZE, e.g. 50MB (default: no cap)
  --report                send findings to the revocation pipeline (as scan --report: LEAKSTOP_SERVER +
                          LEAKSTOP_TOKEN, else REDIS_URL; spooled while neither answers)
  --quiet, -q             print nothing but findings and errors
  --verbose, -v           list skipped repositories and print full errors
  --no-color              no ANSI colours (NO_COLOR is honoured too)
  --no-progress           accepted as for scan (org-scan draws no progress bar)

Environment: GITHUB_TOKEN (or GH_TOKEN; without one only public repositories are seen),
GITHUB_API_URL, LEAKSTOP_CACHE_DIR, LEAKSTOP_CONCURRENCY, and the scan variables
(LEAKSTOP_CONFIG, LEAKSTOP_FORMAT, LEAKSTOP_THREADS, LEAKSTOP_ISSUER, NO_COLOR). Flags win.
Exit codes: 0 no leaks, 1 leaks found, 2 usage, GitHub or config error, or no repository could be scanned.
A repository that fails is reported on stderr and in the summary; the others are still scanned.`;

const OPTIONS = {
  org: { type: "string" },
  "since-last": { type: "boolean" },
  "api-url": { type: "string" },
  "cache-dir": { type: "string" },
  concurrency: { type: "string" },
  "include-archived": { type: "boolean" },
  "exclude-archived": { type: "boolean" },
  "include-forks": { type: "boolean" },
  "exclude-forks": { type: "boolean" },
  repo: { type: "string", multiple: true },
  "skip-repo": { type: "string", multiple: true },
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  config: { type: "string", short: "c" },
  baseline: { type: "string" },
  "write-baseline": { type: "string" },
  "show-secrets": { type: "boolean" },
  threads: { type: "string" },
  "max-file-size": { type: "string" },
  report: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  "no-color": { type: "boolean" },
  "min-kind": { type: "string" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const say = (line: string) => process.stderr.write(`leakstop: ${line}\n`);

/** Hands the findings (and the raw secrets to seal) to the report producer. */
type Reporting = (findings: Finding[], rawSecrets: ReadonlyMap<string, string>) => Promise<void>;

export default async function orgScan(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("org-scan", args, OPTIONS, 0);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const settings = resolveOrgScanSettings(
    {
      org: values.org,
      apiUrl: values["api-url"],
      cacheDir: values["cache-dir"],
      concurrency: values.concurrency,
      sinceLast: values["since-last"],
      includeArchived: values["include-archived"],
      excludeArchived: values["exclude-archived"],
      includeForks: values["include-forks"],
      excludeForks: values["exclude-forks"],
      repo: values.repo,
      skipRepo: values["skip-repo"],
    },
    process.env,
    defaultCacheDir(process.env),
  );
  // stdin: true only turns off the implicit ./.leakstop.toml: an org scan has no scanned root of its own.
  const cfg = resolveScanConfig(
    { ...sharedScanFlags(values), noProgress: true, stdin: true },
    process.env,
    false,
    process.stdout.isTTY === true,
  );
  // Where the results go is checked before any repository is fetched, not after.
  if (cfg.output) checkWritable(cfg.output, "--output");
  if (cfg.writeBaseline) checkWritable(cfg.writeBaseline, "baseline", true);
  const apiUrl = settings.apiUrl ? normalizeApiUrl(settings.apiUrl.text, settings.apiUrl.where) : DEFAULT_API_URL;
  const ruleSet = buildRuleSet(cfg.configFile, cfg.issuers, { examples: false });
  // --report: the pipeline is loaded only now, and its settings checked before anything is fetched.
  const reporting = values.report ? await import("./scan-report.js") : null;
  const reportOpts = reporting?.reportOptions();
  const revealRules = reporting ? (await import("../../queue/revocable-rules.js")).revocableRuleIds() : undefined;
  const scanHistory = makeHistoryScanner(ruleSet, { ...cfg, revealRules });
  const report: Reporting | null =
    reporting && reportOpts
      ? (findings, raw) => reporting.reportScanFindings(findings, raw, "org-scan", reportOpts, cfg.quiet)
      : null;
  if (!settings.token && !cfg.quiet)
    say("GITHUB_TOKEN is not set: only public repositories are visible (and GitHub allows 60 API requests an hour)");

  const release = lockCache(settings.cacheDir, `${new URL(apiUrl).host}-${settings.org.toLowerCase()}`);
  try {
    return await runOrgScan(settings, cfg, apiUrl, ruleSet, scanHistory, report);
  } finally {
    release();
  }
}

async function runOrgScan(
  settings: OrgScanSettings,
  cfg: ScanConfig,
  apiUrl: string,
  ruleSet: RuleSet,
  scanHistory: HistoryScanner,
  report: Reporting | null,
): Promise<number> {
  const baseline = cfg.baseline ? readBaseline(cfg.baseline) : null;
  const t0 = performance.now();
  const repos = await enumerate(settings, apiUrl, cfg.verbose, cfg.quiet);
  if (repos.length === 0) {
    if (!cfg.quiet) say(`org-scan ${settings.org}: no repositories to scan`);
  }
  const result = await scanOrgRepos(repos, {
    cacheDir: settings.cacheDir,
    sinceLast: settings.sinceLast,
    concurrency: settings.concurrency,
    auth: { token: settings.token },
    rulesDigest: rulesDigest({ version: VERSION, ruleSet: withoutExamples(ruleSet) }),
    scanHistory,
    onRepoDone: (o) => {
      if (o.status === "failed") say(describeOutcome(o));
      else if (!cfg.quiet) say(describeOutcome(o));
    },
  });
  // Raw secrets (revocable rules, --report only) leave the findings before anything prints them.
  const rawSecrets = detachRawSecrets(result.findings);
  const findings = triageFindings(
    baseline ? result.findings.filter((f) => !baseline.has(f.fingerprint)) : result.findings,
    cfg.report,
  );
  if (cfg.writeBaseline) writeBaseline(cfg.writeBaseline, result.findings);
  const scanned = result.outcomes.filter((o) => o.status !== "failed");
  const stats = {
    files: scanned.reduce((n, o) => n + o.files, 0),
    bytes: scanned.reduce((n, o) => n + o.bytes, 0),
    ms: performance.now() - t0,
  };
  const rendered = renderFindings(cfg.format, findings, {
    rules: ruleSet.rules.map(toRuleInfo),
    root: "",
    color: cfg.color,
    summary: !cfg.quiet,
    toolVersion: VERSION,
    stats,
  });
  writeReport(cfg.output, rendered);
  if (!cfg.quiet) say(describeRun(settings.org, result.outcomes, findings.length, stats.ms));
  if (report) await report(findings, rawSecrets);
  if (repos.length > 0 && scanned.length === 0)
    throw new LeakstopError(
      "LS_ORG_SCAN_FAILED",
      `org-scan ${settings.org}: none of its ${repos.length} repositories could be scanned (see the errors above)`,
    );
  return findings.length > 0 ? 1 : 0;
}

/** Lists the org's repositories on GitHub, applies --repo/--skip-repo, and says what was left out. */
async function enumerate(
  settings: OrgScanSettings,
  apiUrl: string,
  verbose: boolean,
  quiet: boolean,
): Promise<OrgRepo[]> {
  const client = createGitHubClient({ token: settings.token, apiUrl, onWait: quiet ? undefined : say });
  let listing: Awaited<ReturnType<typeof listOrgRepos>>;
  try {
    listing = await listOrgRepos(client, settings.org, settings);
  } catch (err) {
    throw gitHubError(err, `organization "${settings.org}"`, apiUrl, settings.token);
  }
  const nameOf = (r: { fullName: string }) => r.fullName.split("/")[1]!.toLowerCase();
  const only = new Set(settings.only);
  const skip = new Set(settings.skip);
  for (const name of only)
    if (!listing.repos.some((r) => nameOf(r) === name))
      say(`warning: --repo ${name}: not among ${settings.org}'s repositories`);
  const repos = listing.repos.filter((r) => (only.size === 0 || only.has(nameOf(r))) && !skip.has(nameOf(r)));
  if (verbose) for (const s of listing.skipped) say(`skipped ${s.fullName} (${s.reason})`);
  else if (!quiet && listing.skipped.length > 0) {
    const counts = new Map<string, number>();
    for (const s of listing.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
    const what = [...counts].map(([reason, n]) => `${n} ${reason}`).join(", ");
    say(
      `skipped ${listing.skipped.length} ${listing.skipped.length === 1 ? "repository" : "repositories"} (${what}; --verbose lists them)`,
    );
  }
  return repos;
}

/** The digest covers what decides findings; rule examples do not. */
function withoutExamples(ruleSet: RuleSet): unknown {
  return { ...ruleSet, rules: ruleSet.rules.map((r) => ({ ...r, examples: undefined })) };
}

function writeReport(output: string | null, report: string): void {
  if (!output) {
    if (report.length > 0) process.stdout.write(report);
    return;
  }
  try {
    writeFileSync(output, report);
  } catch (err) {
    throw new LeakstopError("LS_IO", `cannot write --output ${output}: ${ioErrorText(err)}`);
  }
}
