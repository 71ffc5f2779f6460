/** `leakstop scan [PATH]`: flags → config → rules → scan → baseline → output → exit code. */

import { writeFileSync } from "node:fs";
import { buildRuleSet } from "../../config/ruleset.js";
import { resolveScanConfig, type ScanConfig } from "../../config/scan-config.js";
import { readBaseline, writeBaseline } from "../../findings/baseline.js";
import { detachRawSecrets, type Finding } from "../../findings/finding.js";
import { triageFindings } from "../../findings/triage.js";
import { LeakstopError } from "../../lib/errors.js";
import { importUrl } from "../../lib/import-url.js";
import { checkWritable, ioErrorText } from "../../lib/io-error.js";
import { formatBytes } from "../../lib/size.js";
import { leakstopVersion } from "../../lib/version.js";
import { renderFindings, toRuleInfo } from "../../output/index.js";
import { escapeControlCharacters } from "../../output/paths.js";
import type { RuleSet } from "../../rules/rule-set.js";
import type { ScanPool } from "../../scan/pool.js";
import { scanHistory } from "../../scan/scan-history.js";
import { scanStdin } from "../../scan/scan-stdin.js";
import { prestartTreeWorkers, scanTree } from "../../scan/scan-tree.js";
import { parseCommandArgs } from "../parse-args.js";
import { makeProgress } from "../progress.js";
import { sharedScanFlags } from "../scan-flags.js";

const SCAN_HELP = `usage: leakstop scan [PATH] [options]

Scans a working tree (default: the current folder) for leaked secrets. Needs no git and no services.
With --range or --staged, PATH is a git repository (default: the current folder).

  --range A..B            scan the commits of a range (what a push adds): only added lines, with their commit
                          (A = 000…0: a new branch; the commits no other ref has)
  --staged                scan what is staged for commit: only added lines, as staged
  --history               scan the git history of PATH instead: every blob reachable from any ref once,
                          and every commit message; each finding names the commit that introduced it
    --since DATE          only commits more recent than DATE (git's syntax: 2024-01-31, "2 weeks ago")
    --branch REV          only the history of REV (a branch, tag or commit) instead of every ref
  --stdin                 scan standard input instead (--stdin-name NAME sets its reported path)
  --format, -f FORMAT     text (default), json, jsonl, sarif, github
  --output, -o FILE       write the report to FILE instead of stdout
  --config, -c FILE       config file (default: PATH/.leakstop.toml if present)
  --baseline FILE         ignore findings whose fingerprint is in FILE
  --write-baseline FILE   write the current findings' fingerprints to FILE
  --show-secrets          print raw secrets (default: redacted)
  --min-kind KIND         report only findings in files of KIND or more important: code > config > the
                          rest (test, docs, example, generated, vendored). Default: every kind
                          ([scan] report = [...] in the config file picks kinds one by one)
  --report                send the findings to the revocation pipeline: the server (LEAKSTOP_SERVER +
                          LEAKSTOP_TOKEN, a findings:write key) or else Redis (REDIS_URL); while neither
                          answers they are spooled (LEAKSTOP_SPOOL_DIR) and sent by the next --report
                          run or leakstop report --flush. Secrets a provider can revoke travel sealed to
                          LEAKSTOP_REPORT_PUBLIC_KEY (or the server's key); others as their SHA-256 only
  --threads N             worker threads (default: number of cores)
  --max-file-size SIZE    skip files larger than SIZE, e.g. 50MB (default: no cap; big files are streamed)
  --quiet, -q             print nothing but findings     --verbose, -v   print skipped files and full errors
  --no-color              no ANSI colours (NO_COLOR is honoured too)
  --no-progress           no progress bar (it only shows on a TTY anyway)

Precedence: flags > environment (LEAKSTOP_CONFIG, LEAKSTOP_FORMAT, LEAKSTOP_THREADS, LEAKSTOP_MIN_KIND,
LEAKSTOP_MAX_FILE_SIZE, LEAKSTOP_ISSUER, NO_COLOR) > config file > defaults.
Exit codes: 0 no leaks, 1 leaks found, 2 usage, config or runtime error.`;

const OPTIONS = {
  stdin: { type: "boolean" },
  "stdin-name": { type: "string" },
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  config: { type: "string", short: "c" },
  baseline: { type: "string" },
  "write-baseline": { type: "string" },
  "show-secrets": { type: "boolean" },
  threads: { type: "string" },
  "max-file-size": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  "no-color": { type: "boolean" },
  "no-progress": { type: "boolean" },
  "min-kind": { type: "string" },
  history: { type: "boolean" },
  since: { type: "string" },
  branch: { type: "string" },
  range: { type: "string" },
  staged: { type: "boolean" },
  report: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

interface ScanTotals {
  findings: Finding[];
  files: number;
  bytes: number;
  ms: number;
  commits?: number;
  tags?: number;
  skippedBinary?: boolean;
}

async function runScan(
  cfg: ScanConfig,
  ruleSet: RuleSet,
  revealRules: string[] | undefined,
  workers: ScanPool | null,
): Promise<ScanTotals> {
  const detect = { showSecrets: cfg.showSecrets, revealRules };
  if (cfg.verbose)
    for (const s of ruleSet.skipped)
      process.stderr.write(`leakstop: skipped gitleaks rule ${escapeControlCharacters(s)}\n`);
  if (cfg.range !== null || cfg.staged) {
    const { scanGitChanges } = await import("./scan-git-changes.js");
    return scanGitChanges(cfg, ruleSet, revealRules);
  }
  if (cfg.stdin) {
    const t0 = performance.now();
    const r = scanStdin(ruleSet, cfg.stdinName, detect);
    if (r.binary && !cfg.quiet)
      process.stderr.write("leakstop: warning: standard input looks binary (a NUL byte near its start): not scanned\n");
    // Binary input was read to tell, but not scanned: no file counts as scanned.
    const ms = performance.now() - t0;
    return { findings: r.findings, files: r.binary ? 0 : 1, bytes: r.bytes, ms, skippedBinary: r.binary };
  }
  if (cfg.history) return runHistoryScan(cfg, ruleSet, revealRules);
  const progress = makeProgress(cfg.progress);
  const r = await scanTree(ruleSet, {
    ...detect,
    root: cfg.root,
    threads: cfg.threads,
    maxFileSize: cfg.maxFileSize,
    revealRules,
    exclude: cfg.exclude,
    onProgress: progress.update,
    workers,
  });
  progress.end();
  if (cfg.verbose) {
    for (const s of r.stats.skipped)
      process.stderr.write(`leakstop: skipped ${escapeControlCharacters(s.rel)} (${s.reason})\n`);
  } else if (!cfg.quiet) {
    // Never let an unread file pass for a clean one in silence.
    const unread = r.stats.skipped.filter((s) => s.reason === "unreadable").length;
    if (unread > 0)
      process.stderr.write(
        `leakstop: warning: ${unread} ${unread === 1 ? "file or folder" : "files or folders"} could not be read (--verbose lists them)\n`,
      );
  }
  return { findings: r.findings, files: r.stats.files, bytes: r.stats.bytes, ms: r.stats.ms };
}

async function runHistoryScan(cfg: ScanConfig, ruleSet: RuleSet, revealRules?: string[]): Promise<ScanTotals> {
  const progress = makeProgress(cfg.progress, "texts");
  const r = await scanHistory(ruleSet, {
    repo: cfg.root,
    threads: cfg.threads,
    showSecrets: cfg.showSecrets,
    revealRules,
    maxFileSize: cfg.maxFileSize,
    since: cfg.since ?? undefined,
    branch: cfg.branch ?? undefined,
    onProgress: progress.update,
  });
  progress.end();
  if (r.stats.shallow && !cfg.quiet)
    process.stderr.write(
      `leakstop: warning: ${escapeControlCharacters(cfg.root)} is a shallow clone: only the history it holds was scanned (git fetch --unshallow for all of it)\n`,
    );
  const unread = r.stats.skipped.filter((s) => s.reason === "unreadable").length;
  if (cfg.verbose)
    for (const s of r.stats.skipped)
      process.stderr.write(`leakstop: skipped ${escapeControlCharacters(s.rel)} (${s.reason})\n`);
  else if (unread > 0 && !cfg.quiet)
    // A blob git could not read (a damaged repository) must not pass for a clean one.
    process.stderr.write(
      `leakstop: warning: ${unread} ${unread === 1 ? "object" : "objects"} of the repository could not be read (--verbose lists them)\n`,
    );
  const { files, bytes, ms, commits, tags } = r.stats;
  return { findings: r.findings, files, bytes, ms, commits, tags };
}

/**
 * What `--report` needs, imported by URL rather than by a literal path, so that scan's single-file
 * build (cli/scan-main.ts), which must never hold BullMQ or ioredis, leaves the pipeline out.
 */
async function loadReporting(): Promise<
  typeof import("./scan-report.js") & Pick<typeof import("../../queue/revocable-rules.js"), "revocableRuleIds">
> {
  const url = (rel: string) => new URL(rel, import.meta.url).href;
  const reporting = (await importUrl(url("./scan-report.js"))) as typeof import("./scan-report.js");
  const revocable = (await importUrl(
    url("../../queue/revocable-rules.js"),
  )) as typeof import("../../queue/revocable-rules.js");
  return { ...reporting, revocableRuleIds: revocable.revocableRuleIds };
}

export default async function scan(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("scan", args, OPTIONS, 1);
  if (values.help) {
    process.stdout.write(`${SCAN_HELP}\n`);
    return 0;
  }
  const modes = (["stdin", "range", "staged", "history"] as const).filter(
    (m) => values[m] !== undefined && values[m] !== false,
  );
  if (modes.length > 1)
    throw new LeakstopError("LS_USAGE", `scan: --${modes[0]} and --${modes[1]} cannot be combined (pick one source)`);
  for (const flag of ["since", "branch"] as const)
    if (values[flag] !== undefined && !values.history)
      throw new LeakstopError("LS_USAGE", `scan: --${flag} needs --history`);
  if (values.stdin && positionals[0] !== undefined)
    throw new LeakstopError(
      "LS_USAGE",
      `scan: --stdin reads standard input, not "${positionals[0]}" (give one or the other; --stdin-name NAME sets the reported path)`,
    );
  if (!values.stdin && values["stdin-name"] !== undefined)
    throw new LeakstopError("LS_USAGE", "scan: --stdin-name needs --stdin");
  const cfg = resolveScanConfig(
    {
      ...sharedScanFlags(values),
      path: positionals[0],
      noProgress: values["no-progress"],
      stdin: values.stdin,
      stdinName: values["stdin-name"],
      range: values.range,
      staged: values.staged,
      history: values.history,
      since: values.since,
      branch: values.branch,
    },
    process.env,
    process.stderr.isTTY === true,
    process.stdout.isTTY === true,
  );
  // Where the results go is checked before the scan, not found unwritable after minutes of history.
  if (cfg.output) checkWritable(cfg.output, "--output");
  if (cfg.writeBaseline) checkWritable(cfg.writeBaseline, "baseline", true);
  // A tree scan's worker threads load their modules while this thread loads the rules and walks.
  const isTreeScan = !cfg.stdin && !cfg.history && !cfg.staged && cfg.range === null;
  const workers = isTreeScan ? prestartTreeWorkers(cfg.root, cfg.threads) : null;
  const ruleSet = buildRuleSet(cfg.configFile, cfg.issuers, { examples: false });
  const baseline = cfg.baseline ? readBaseline(cfg.baseline) : null;
  // --report: the pipeline is loaded only now, and its settings checked before the scan runs.
  const reporting = values.report ? await loadReporting() : null;
  const reportOpts = reporting?.reportOptions();
  const revealRules = reporting?.revocableRuleIds();
  const result = await runScan(cfg, ruleSet, revealRules, workers);
  // Raw secrets (revocable rules, --report only) leave the findings before anything prints them.
  const rawSecrets = detachRawSecrets(result.findings);
  // Code and config first; only the kinds asked for (every kind by default).
  const findings = triageFindings(
    baseline ? result.findings.filter((f) => !baseline.has(f.fingerprint)) : result.findings,
    cfg.report,
  );
  if (cfg.writeBaseline) writeBaseline(cfg.writeBaseline, result.findings);
  const report = renderFindings(cfg.format, findings, {
    // Only SARIF lists the rules: built when read, so other formats never parse the lazy built-in
    // rules whose keywords did not occur (rules/lazy-rule.ts).
    get rules() {
      return ruleSet.rules.map(toRuleInfo);
    },
    root: cfg.root,
    color: cfg.color,
    summary: !cfg.quiet,
    toolVersion: leakstopVersion(),
    stats: {
      files: result.files,
      bytes: result.bytes,
      ms: result.ms,
      commits: result.commits,
      tags: result.tags,
      skippedBinary: result.skippedBinary,
    },
  });
  if (cfg.output) {
    try {
      writeFileSync(cfg.output, report);
    } catch (err) {
      throw new LeakstopError("LS_IO", `cannot write --output ${cfg.output}: ${ioErrorText(err)}`);
    }
  } else if (report.length > 0) process.stdout.write(report);
  if (reporting && reportOpts) {
    await reporting.reportScanFindings(findings, rawSecrets, "cli", reportOpts, cfg.quiet);
  }
  if (cfg.verbose && cfg.format !== "text") {
    process.stderr.write(
      `leakstop: ${findings.length} finding(s) in ${result.files} files (${formatBytes(result.bytes)}) in ${Math.round(result.ms)} ms\n`,
    );
  }
  return findings.length > 0 ? 1 : 0;
}
