/**
 * The Action's use case: event → what to scan → scan → annotations, job summary, SARIF, step
 * outputs → exit code (1 for findings when fail-on-findings, else 0). Errors propagate to main.ts.
 */

import { writeFileSync } from "node:fs";
import { buildRuleSet } from "../config/ruleset.js";
import { resolveScanConfig } from "../config/scan-config.js";
import { readBaseline } from "../findings/baseline.js";
import { detachRawSecrets, type Finding } from "../findings/finding.js";
import { triageFindings } from "../findings/triage.js";
import { LeakstopError } from "../lib/errors.js";
import { leakstopVersion } from "../lib/version.js";
import { escapeData } from "../output/github.js";
import { type RenderContext, renderFindings, toRuleInfo } from "../output/index.js";
import { readEventRequest } from "./event.js";
import { openCheckout } from "./git-checkout.js";
import { type ActionInputs, readInputs } from "./inputs.js";
import { type GitScanResult, scanGitTarget } from "./scan-git.js";
import { resolveScanTarget, type ScanTarget } from "./scan-target.js";
import { renderSummary, type SummaryContext } from "./summary.js";
import { writeOutputs, writeSummary } from "./workflow-files.js";

export const TOOL_VERSION = leakstopVersion();

/** Where the run writes its log (stdout in the Action; workflow commands are read from it). */
export type LogSink = (text: string) => void;

export async function runAction(env: NodeJS.ProcessEnv, log: LogSink): Promise<number> {
  const inputs = readInputs(env);
  const request = readEventRequest(env);
  maskToken(inputs, log);
  const checkout = openCheckout(inputs.root);
  const target = resolveScanTarget(request, checkout);
  log(`leakstop: ${target.kind === "nothing" ? "nothing to scan" : "scanning"}: ${oneLine(target.label)}\n`);
  for (const note of target.notes) log(`::${note.level} title=leakstop::${escapeData(note.text)}\n`);

  const cfg = resolveScanConfig(
    {
      path: inputs.root,
      config: inputs.config ?? undefined,
      format: "github",
      noProgress: true,
      quiet: true,
      minKind: inputs.minKind ?? undefined,
    },
    env,
    false,
  );
  const ruleSet = buildRuleSet(cfg.configFile, cfg.issuers, { examples: false });
  const baseline = inputs.baseline ? readBaseline(inputs.baseline) : null;
  // server-url set: the pipeline is loaded only now (a plain run never loads it).
  const reporting = inputs.serverUrl ? await import("./report-findings.js") : null;
  const revealRules = reporting?.revealRules();
  const scanned: GitScanResult =
    target.kind === "nothing"
      ? { findings: [] }
      : await scanGitTarget(target, checkout.root, ruleSet, cfg, revealRules);
  for (const note of scanned.notes ?? []) log(`::notice title=leakstop::${escapeData(note)}\n`);
  const repository = env.GITHUB_REPOSITORY || undefined;
  const all = scanned.findings.map((f): Finding => (repository ? { ...f, repository } : f));
  // Raw secrets (revocable rules, reporting only) leave the findings before anything prints them.
  const rawSecrets = detachRawSecrets(all);
  // Code and config first, as every output orders them; only the kinds asked for (input min-kind,
  // LEAKSTOP_MIN_KIND, [scan] report), every kind by default.
  const findings = triageFindings(baseline ? all.filter((f) => !baseline.has(f.fingerprint)) : all, cfg.report);

  const ctx: RenderContext = {
    rules: ruleSet.rules.map(toRuleInfo),
    root: checkout.root,
    color: false,
    summary: true,
    toolVersion: TOOL_VERSION,
    versionControl: versionControlOf(env),
  };
  log(renderFindings(inputs.format, findings, ctx));
  if (inputs.sarif) writeReport(inputs.sarif, renderFindings("sarif", findings, ctx));
  writeSummary(
    env,
    renderSummary(findings, summaryContext(env, target, scanned, inputs, all.length - findings.length)),
  );
  writeOutputs(env, { findings: String(findings.length), sarif: inputs.sarif ?? "" });
  if (reporting) await reporting.reportToServer(findings, rawSecrets, inputs, env, log);
  return findings.length > 0 && inputs.failOnFindings ? 1 : 0;
}

/** A token typed into the workflow instead of taken from secrets must not show in the log either. */
function maskToken(inputs: ActionInputs, log: LogSink): void {
  if (inputs.serverToken) log(`::add-mask::${escapeData(inputs.serverToken)}\n`);
}

function versionControlOf(env: NodeJS.ProcessEnv): RenderContext["versionControl"] {
  const url = repositoryUrl(env);
  if (url === null) return undefined;
  return { repositoryUri: url, revisionId: env.GITHUB_SHA || undefined, branch: env.GITHUB_REF || undefined };
}

function repositoryUrl(env: NodeJS.ProcessEnv): string | null {
  if (!env.GITHUB_REPOSITORY) return null;
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  return `${server}/${env.GITHUB_REPOSITORY}`;
}

function summaryContext(
  env: NodeJS.ProcessEnv,
  target: ScanTarget,
  scanned: GitScanResult,
  inputs: ActionInputs,
  baselined: number,
): SummaryContext {
  const commits =
    scanned.commits === undefined ? "" : ` (${scanned.commits} commit${scanned.commits === 1 ? "" : "s"})`;
  return {
    label: target.kind === "nothing" ? `nothing (${target.label})` : `${target.label}${commits}`,
    notes: [...target.notes, ...(scanned.notes ?? []).map((text) => ({ text }))],
    repositoryUrl: repositoryUrl(env),
    sha: env.GITHUB_SHA || null,
    baselined,
    sarifPath: inputs.sarif,
  };
}

function writeReport(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new LeakstopError(
      "LS_IO",
      `cannot write the SARIF file ${path}: ${(err as { code?: string }).code ?? "write error"}`,
    );
  }
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}
