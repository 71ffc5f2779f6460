/**
 * The real-repository check's arithmetic: scanners' findings against the judged list, counted by
 * fileKind (SPEC §8: no more than 2 % of findings not secrets at all). Every finding is counted
 * (a secret in 12 places is 12 findings, as a user reads them); one with no judgment is "unjudged",
 * so that a rule change or a new scanner version shows as drift instead of passing silently, and a
 * judged secret that a tool:scope reported when judged and no longer does is "gone".
 */
import { FILE_KINDS, type FileKind, fileKindOfPath } from "../../src/findings/file-kind.js";
import { secretHashOf } from "../../src/findings/secret-hash.js";
import { pct } from "../report.js";
import { type JudgedList, type Judgment, judgmentKey, type Scope, type Tool, type Verdict } from "./judged.js";

export interface RepoFinding {
  repo: string;
  tool: Tool;
  scope: Scope;
  rule: string;
  path: string;
  line: number;
  commit?: string;
  fileKind: FileKind;
  secretHash: string;
  /** Redacted: a few leading characters at most. */
  shown: string;
}

/** The fields of leakstop's JSON findings read here. */
interface LeakstopJson {
  ruleId: string;
  path: string;
  startLine: number;
  commit?: string;
  fileKind?: FileKind;
  secretHash: string;
  match: string;
}

/** The fields of gitleaks' JSON report read here (v8: PascalCase). */
interface GitleaksJson {
  RuleID: string;
  File: string;
  StartLine: number;
  Commit?: string;
  Secret: string;
}

export function fromLeakstop(repo: string, scope: Scope, findings: LeakstopJson[]): RepoFinding[] {
  return findings.map((f) => ({
    repo,
    tool: "leakstop",
    scope,
    rule: f.ruleId,
    path: f.path,
    line: f.startLine,
    ...(f.commit ? { commit: f.commit } : {}),
    fileKind: f.fileKind ?? fileKindOfPath(f.path),
    secretHash: f.secretHash,
    shown: f.match,
  }));
}

/**
 * gitleaks has no fileKind: its findings are put in leakstop's kinds by path. Its tree-mode paths
 * start with the scanned folder, which is cut off; its secret is hashed as leakstop hashes one and
 * then dropped.
 */
export function fromGitleaks(repo: string, scope: Scope, findings: GitleaksJson[], root = ""): RepoFinding[] {
  const prefix = root ? `${root.replace(/\/+$/, "")}/` : "";
  return findings.map((f) => {
    const path = prefix && f.File.startsWith(prefix) ? f.File.slice(prefix.length) : f.File;
    return {
      repo,
      tool: "gitleaks",
      scope,
      rule: f.RuleID,
      path,
      line: f.StartLine,
      ...(scope === "history" && f.Commit ? { commit: f.Commit } : {}),
      fileKind: fileKindOfPath(path),
      secretHash: secretHashOf(f.Secret),
      shown: `${f.Secret.slice(0, 4)}…`,
    };
  });
}

export interface Counts {
  findings: number;
  real: number;
  fixture: number;
  notSecret: number;
  unjudged: number;
}

const zero = (): Counts => ({ findings: 0, real: 0, fixture: 0, notSecret: 0, unjudged: 0 });

export interface Tally {
  /** "tool:scope" → fileKind → counts; "all" is the sum. */
  byKind: Map<string, Map<FileKind | "all", Counts>>;
  /** "tool:scope" → repo → counts. */
  byRepo: Map<string, Map<string, Counts>>;
  /** "tool:scope" → distinct secrets by verdict (a secret in many places once). */
  secrets: Map<string, Record<Verdict | "unjudged", number>>;
  unjudged: RepoFinding[];
  /** Judged secrets a tool:scope reported when judged and reports no longer (among the repos and pairs run). */
  gone: { pair: string; judgment: Judgment }[];
}

export const pairOf = (f: Pick<RepoFinding, "tool" | "scope">) => `${f.tool}:${f.scope}`;

function add(c: Counts, v: Verdict | undefined): void {
  c.findings++;
  if (v === "real") c.real++;
  else if (v === "fixture") c.fixture++;
  else if (v === "not a secret") c.notSecret++;
  else c.unjudged++;
}

function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** `ran`: the tool:scope pairs run on each repo (a judgment's pair not run is not "gone"). */
export function tally(findings: RepoFinding[], judged: JudgedList, ran: Map<string, Set<string>>): Tally {
  const verdicts = new Map(judged.judgments.map((j) => [judgmentKey(j.repo, j.secretHash), j]));
  const t: Tally = { byKind: new Map(), byRepo: new Map(), secrets: new Map(), unjudged: [], gone: [] };
  const reported = new Set<string>();
  const distinct = new Map<string, Set<string>>();
  for (const f of findings) {
    const pair = pairOf(f);
    const key = judgmentKey(f.repo, f.secretHash);
    const v = verdicts.get(key)?.verdict;
    reported.add(`${pair}\0${key}`);
    if (!v) t.unjudged.push(f);
    const kinds = entry(t.byKind, pair, () => new Map<FileKind | "all", Counts>());
    add(entry(kinds, f.fileKind, zero), v);
    add(entry(kinds, "all", zero), v);
    add(
      entry(
        entry(t.byRepo, pair, () => new Map<string, Counts>()),
        f.repo,
        zero,
      ),
      v,
    );
    const seen = entry(distinct, pair, () => new Set<string>());
    if (!seen.has(key)) {
      seen.add(key);
      entry(t.secrets, pair, () => ({ real: 0, fixture: 0, "not a secret": 0, unjudged: 0 }))[v ?? "unjudged"]++;
    }
  }
  for (const j of judged.judgments) {
    const pairs = ran.get(j.repo);
    for (const pair of j.by) {
      if (pairs?.has(pair) && !reported.has(`${pair}\0${judgmentKey(j.repo, j.secretHash)}`))
        t.gone.push({ pair, judgment: j });
    }
  }
  return t;
}

/** Judged share that is a credential's value (real + fixture over judged findings), and "not a secret" share. */
export function precisionOf(c: Counts): { precision: number; notSecret: number } {
  const judgedN = c.findings - c.unjudged;
  return {
    precision: judgedN ? (c.real + c.fixture) / judgedN : Number.NaN,
    notSecret: judgedN ? c.notSecret / judgedN : Number.NaN,
  };
}

const pctOr = (x: number) => (Number.isFinite(x) ? pct(x) : "–");

/** One markdown table per tool:scope, rows by fileKind (kinds with no finding left out). */
export function kindTable(t: Tally, pair: string): string {
  const kinds = t.byKind.get(pair) ?? new Map();
  const rows = [...FILE_KINDS, "all" as const]
    .filter((k) => kinds.has(k) || k === "all")
    .map((k) => {
      const c = kinds.get(k) ?? zero();
      const p = precisionOf(c);
      const name = k === "all" ? "**all**" : k;
      return `| ${name} | ${c.findings} | ${c.real} | ${c.fixture} | ${c.notSecret} | ${c.unjudged} | ${pctOr(p.precision)} | ${pctOr(p.notSecret)} |`;
    });
  return [
    "| fileKind | findings | real | fixture | not a secret | unjudged | precision (real+fixture) | not a secret |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}

export function repoLine(t: Tally, pair: string): string {
  const repos = t.byRepo.get(pair) ?? new Map<string, Counts>();
  return [...repos]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(
      ([r, c]) =>
        `${r} ${c.findings} (${c.real}/${c.fixture}/${c.notSecret}${c.unjudged ? `, ${c.unjudged} unjudged` : ""})`,
    )
    .join("; ");
}

const whereOf = (f: RepoFinding) =>
  f.scope === "history" ? `history ${(f.commit ?? "").slice(0, 7)} ${f.path}:${f.line}` : `tree ${f.path}:${f.line}`;

/** The whole report: per tool:scope a table by fileKind, per repo counts, distinct secrets, then drift. */
export function renderReport(t: Tally, pairs: string[], list: number): string {
  const out: string[] = [];
  for (const pair of pairs) {
    if (!t.byKind.has(pair)) {
      out.push(`## ${pair}: no findings`, "");
      continue;
    }
    const s = t.secrets.get(pair)!;
    out.push(`## ${pair}`, "", kindTable(t, pair), "");
    out.push(
      `Distinct secrets: ${s.real} real, ${s.fixture} fixture, ${s["not a secret"]} not a secret${s.unjudged ? `, ${s.unjudged} unjudged` : ""}.`,
    );
    out.push(`By repo (findings (real/fixture/not)): ${repoLine(t, pair)}`, "");
  }
  out.push(`Unjudged findings: ${t.unjudged.length}${t.unjudged.length ? " (judge them: --write-unjudged FILE)" : ""}`);
  for (const f of t.unjudged.slice(0, list))
    out.push(
      `  ${pairOf(f)} ${f.repo} ${f.rule} ${whereOf(f)} [${f.fileKind}] ${f.shown} ${f.secretHash.slice(0, 12)}`,
    );
  out.push(`Judged secrets no longer reported: ${t.gone.length}`);
  for (const g of t.gone.slice(0, list))
    out.push(
      `  ${g.pair} ${g.judgment.repo} ${g.judgment.verdict} ${g.judgment.secretHash.slice(0, 12)} ${g.judgment.at[0] ?? ""} (${g.judgment.reason})`,
    );
  return out.join("\n");
}

/** Unjudged findings as judgments to fill in (verdict "?"), one per repo and secret. */
export function skeleton(
  unjudged: RepoFinding[],
): (Omit<Judgment, "verdict"> & { verdict: string; fileKinds: string[] })[] {
  const out = new Map<string, Omit<Judgment, "verdict"> & { verdict: string; fileKinds: string[] }>();
  for (const f of unjudged) {
    const key = judgmentKey(f.repo, f.secretHash);
    let j = out.get(key);
    if (!j) {
      j = {
        repo: f.repo,
        secretHash: f.secretHash,
        verdict: "?",
        reason: "",
        rules: [],
        at: [],
        by: [],
        fileKinds: [],
      };
      out.set(key, j);
    }
    const rule = `${f.tool}:${f.rule}`;
    if (!j.rules.includes(rule)) j.rules.push(rule);
    if (!j.by.includes(pairOf(f))) j.by.push(pairOf(f));
    if (!j.fileKinds.includes(f.fileKind)) j.fileKinds.push(f.fileKind);
    if (j.at.length < 3) j.at.push(whereOf(f));
  }
  return [...out.values()];
}

/**
 * Adds to each judgment the tool:scope pairs and rules that report it now (a judgment made from
 * leakstop's findings also covers gitleaks' finding of the same value): what `--record` writes back.
 */
export function recordSeen(judged: JudgedList, findings: RepoFinding[]): number {
  const byKey = new Map(judged.judgments.map((j) => [judgmentKey(j.repo, j.secretHash), j]));
  let changed = 0;
  for (const f of findings) {
    const j = byKey.get(judgmentKey(f.repo, f.secretHash));
    if (!j) continue;
    const rule = `${f.tool}:${f.rule}`;
    if (!j.by.includes(pairOf(f))) {
      j.by.push(pairOf(f));
      changed++;
      if (j.at.length < 4) j.at.push(whereOf(f));
    }
    if (!j.rules.includes(rule)) {
      j.rules.push(rule);
      changed++;
    }
  }
  return changed;
}
