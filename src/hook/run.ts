/**
 * `leakstop hook run`: what the installed hook runs. Pre-commit: scan --staged; pre-push: scan
 * every pushed range. Loads only what that needs (no queue, Redis, HTTP or GitHub client), reads
 * `.leakstop.toml` and `.leakstop-baseline.json` from the top of the work tree when present, and
 * returns 1 to block (0 to let it through).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigFile, readConfigFile } from "../config/config-file.js";
import { buildRuleSet } from "../config/ruleset.js";
import { readBaseline } from "../findings/baseline.js";
import type { FileKind } from "../findings/file-kind.js";
import { detachRawSecrets, type Finding } from "../findings/finding.js";
import { kindsFromMinKind, triageFindings } from "../findings/triage.js";
import { LeakstopError } from "../lib/errors.js";
import { importUrl } from "../lib/import-url.js";
import { parseSize } from "../lib/size.js";
import { revocableRuleIds } from "../queue/revocable-rules.js";
import { loadBuiltinDetectors } from "../rules/detector-bundle.js";
import type { DetectorSet } from "../rules/load-detectors.js";
import type { RuleSet } from "../rules/rule-set.js";
import type { ChangeScanOptions } from "../scan/scan-changes.js";
import { type StagedReader, scanStaged, startStagedRead } from "../scan/scan-staged.js";
import { openRepo, type RepoInfo, runGitSync } from "../sources/git/run-git.js";
import { acceptIntoBaseline } from "./accept.js";
import { repoAtWorkTreeTop } from "./hook-repo.js";
import { blockedMessage } from "./message.js";
import { frameworkPushInput, parsePrePushInput } from "./pre-push-input.js";

/** The baseline the hook honours when --baseline is not given. */
export const DEFAULT_BASELINE = ".leakstop-baseline.json";

export interface HookRunOptions {
  cwd?: string;
  baseline?: string;
  /** pre-push: the remote's name (or URL) git passes as the first argument. */
  prePush?: { remote: string | undefined; input: string };
  env: NodeJS.ProcessEnv;
  write: (text: string) => void;
  /** `hook run --report`: also report the findings (as scan --report); `[hook] report = true` does too. */
  report?: boolean;
  /** `hook run --min-kind KIND`: block only on findings in files of that kind or more important. */
  minKind?: string;
}

interface HookSetup {
  top: string;
  ruleSet: RuleSet;
  scan: ChangeScanOptions;
  baseline: Set<string> | null;
  baselinePath: string;
  report: boolean;
  /** The file kinds to block on (--min-kind, LEAKSTOP_MIN_KIND, `[hook] minKind`, `[scan] report`); null = every kind. */
  kinds: FileKind[] | null;
}

function setUp(top: string, o: HookRunOptions, builtin?: DetectorSet): HookSetup {
  const cfgPath =
    o.env.LEAKSTOP_CONFIG ?? (existsSync(join(top, ".leakstop.toml")) ? join(top, ".leakstop.toml") : null);
  const config: ConfigFile | null = cfgPath ? readConfigFile(cfgPath) : null;
  const issuers = (o.env.LEAKSTOP_ISSUER ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const sizeText = o.env.LEAKSTOP_MAX_FILE_SIZE ?? config?.scan.maxFileSize;
  const maxFileSize = sizeText === undefined ? 0 : parseSize(sizeText);
  if (maxFileSize === null)
    throw new LeakstopError("LS_USAGE", `max file size "${sizeText}" is not a size such as 10MB`);
  const baselinePath = o.baseline ?? join(top, DEFAULT_BASELINE);
  const baseline = o.baseline !== undefined || existsSync(baselinePath) ? readBaseline(baselinePath) : null;
  const report = o.report === true || config?.hook.report === true;
  return {
    top,
    ruleSet: buildRuleSet(config, issuers, { examples: false, builtin }),
    scan: {
      showSecrets: false,
      maxFileSize,
      exclude: config?.scan.exclude ?? [],
      // Reporting seals what a provider can revoke: those findings keep the raw secret in-process.
      revealRules: report ? revocableRuleIds() : undefined,
    },
    baseline,
    baselinePath: o.baseline ?? DEFAULT_BASELINE,
    report,
    kinds: hookKinds(o, config),
  };
}

/** Flag > environment > `[hook] minKind` > `[scan] report` > every kind. */
function hookKinds(o: HookRunOptions, config: ConfigFile | null): FileKind[] | null {
  if (o.minKind !== undefined) return kindsFromMinKind(o.minKind, "--min-kind");
  if (o.env.LEAKSTOP_MIN_KIND) return kindsFromMinKind(o.env.LEAKSTOP_MIN_KIND, "LEAKSTOP_MIN_KIND");
  if (config?.hook.minKind !== undefined) return kindsFromMinKind(config.hook.minKind, "[hook] minKind");
  return config?.scan.report ?? null;
}

/** Remote-tracking refs of a named remote: what the remote already has, for a branch's first push. */
function remoteBase(top: string, remote: string | undefined): string[] | undefined {
  if (!remote || !/^[\w.-]+$/.test(remote)) return undefined;
  const refs = runGitSync(top, ["for-each-ref", "--count=1", "--format=%(refname)", `refs/remotes/${remote}/`]);
  return refs.trim() ? [`refs/remotes/${remote}/`] : undefined;
}

async function prePushFindings(s: HookSetup, remote: string | undefined, input: string): Promise<Finding[]> {
  const { scanRange } = await import("../scan/scan-range.js");
  const base = remoteBase(s.top, remote);
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const ref of parsePrePushInput(input)) {
    const r = await scanRange(s.ruleSet, {
      ...s.scan,
      repo: s.top,
      range: { from: ref.remoteSha, to: ref.localSha },
      baseRefs: base,
    });
    for (const f of r.findings) {
      const key = `${f.fingerprint}\0${f.commit}\0${f.path}\0${f.startLine}`;
      if (!seen.has(key)) out.push(f);
      seen.add(key);
    }
  }
  return out;
}

/**
 * Pre-commit: rev-parse starts unless the hook runs at the top of a plain work tree (see
 * hook-repo.ts), `git diff --cached` runs while the thread waits (a commit's diff takes git a few
 * milliseconds; node's pipes and streams for it cost more: scan-staged.ts), node loads the built-in
 * detectors, and cat-file runs when the scan asks for the blobs. On any failure the git processes
 * are ended and rev-parse's error (when it ran) is the one shown.
 */
async function stagedFindings(o: HookRunOptions): Promise<{ s: HookSetup; findings: Finding[] }> {
  const cwd = o.cwd ?? ".";
  const known = repoAtWorkTreeTop(cwd, o.env);
  const repoP = known ? Promise.resolve(known) : openRepo(cwd);
  repoP.catch(() => {}); // awaited below
  // At the top of a plain work tree the blobs git just staged are loose objects of .git/objects: read there.
  let reader: StagedReader | null = startStagedRead(cwd, {
    now: true,
    objects: known ? join(known.gitDir, "objects") : undefined,
  });
  try {
    const builtin = loadBuiltinDetectors({ examples: false });
    const repo: RepoInfo = await repoP;
    const top = repo.workTree ?? repo.gitDir;
    const s = setUp(top, o, builtin);
    const scan = scanStaged(s.ruleSet, { ...s.scan, repo: top, workTree: repo.workTree ?? undefined, reader });
    reader = null; // the scan closes it
    return { s, findings: (await scan).findings };
  } finally {
    await reader?.close();
  }
}

export async function runHook(o: HookRunOptions): Promise<number> {
  let s: HookSetup;
  let all: Finding[];
  if (o.prePush) {
    const repo = await openRepo(o.cwd ?? ".");
    s = setUp(repo.workTree ?? repo.gitDir, o);
    all = await prePushFindings(s, o.prePush.remote, o.prePush.input);
  } else {
    ({ s, findings: all } = await stagedFindings(o));
  }
  const rawSecrets = detachRawSecrets(all);
  const findings = triageFindings(s.baseline ? all.filter((f) => !s.baseline!.has(f.fingerprint)) : all, s.kinds);
  // A clean commit reports nothing (and never waits on a target); the spool goes with the next report.
  if (s.report && findings.length > 0) await reportFromHook(findings, rawSecrets, o);
  if (findings.length === 0) return 0;
  const stage = o.prePush ? "push" : "commit";
  const baselineArg = o.baseline === undefined ? "" : ` --baseline ${o.baseline}`;
  const hint =
    stage === "commit"
      ? `leakstop hook accept${baselineArg} (adds them to ${s.baselinePath}), then stage that file`
      : `list their fingerprints in ${s.baselinePath} (leakstop scan --range <remote sha>..<local sha> --format json shows them), then commit it`;
  o.write(blockedMessage(findings, stage, hint));
  return 1;
}

/** `leakstop hook accept`: what is staged now goes into the baseline; prints what it did. */
export async function acceptStaged(o: HookRunOptions): Promise<number> {
  const repo = await openRepo(o.cwd ?? ".");
  const top = repo.workTree ?? repo.gitDir;
  const s = setUp(top, { ...o, baseline: undefined });
  const findings = (await scanStaged(s.ruleSet, { ...s.scan, repo: top, workTree: repo.workTree ?? undefined }))
    .findings;
  const path = o.baseline ?? join(top, DEFAULT_BASELINE);
  const added = acceptIntoBaseline(path, findings);
  o.write(`leakstop: ${added} new ${added === 1 ? "fingerprint" : "fingerprints"} in ${path}; stage it to share it\n`);
  return 0;
}

/**
 * What a pre-push run scans: git's lines on stdin (git closes it after the last ref), or, under
 * the pre-commit framework (which reads them itself), the refs it passes in the environment.
 * A terminal on stdin is never read (someone running the hook by hand).
 */
export function prePushArgs(remote: string | undefined, env: NodeJS.ProcessEnv): HookRunOptions["prePush"] {
  const framework = frameworkPushInput(env);
  if (framework !== null) return { remote: env.PRE_COMMIT_REMOTE_NAME, input: framework };
  if (process.stdin.isTTY) return { remote, input: "" };
  try {
    return { remote, input: readFileSync(0, "utf8") };
  } catch {
    return { remote, input: "" };
  }
}

/**
 * The pipeline is imported by URL, not by a literal path, so the hook's single-file build (which
 * must never hold BullMQ or ioredis) leaves it out: only a hook that reports loads it.
 */
async function reportFromHook(findings: Finding[], rawSecrets: Map<string, string>, o: HookRunOptions): Promise<void> {
  const url = new URL("../report/run-report.js", import.meta.url).href;
  const mod = (await importUrl(url)) as typeof import("../report/run-report.js");
  await mod.reportAndSay(findings, rawSecrets, "hook", o.write, { env: o.env });
}
