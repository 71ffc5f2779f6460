/**
 * The judged list of the real-repository check (bench/repos/judged.json): which public repositories
 * at which commit, and a verdict for every secret any scanner reported in them. A verdict is about a
 * value, so it is keyed by repository and secretHash (SHA-256 of the secret, never the secret): the
 * same value reported by another rule, another scanner, in another file or in the history shares it.
 */
import { readFileSync } from "node:fs";

export const VERDICTS = ["real", "fixture", "not a secret"] as const;
/**
 * real: a live-looking credential of a real account; fixture: a test or demo value where a credential
 * goes (fake or test keys, mock API responses, CI passwords, documentation samples of a credential);
 * not a secret: identifiers, names, public values, providers' documented examples, anything no one
 * could use to act as someone.
 */
export type Verdict = (typeof VERDICTS)[number];

export type Scope = "tree" | "history";
export type Tool = "leakstop" | "gitleaks";

export interface JudgedRepo {
  /** OWNER+NAME, the folder name of its mirror (`fetch` puts it in /work/.mirror/OWNER+NAME/repo). */
  name: string;
  /** The commit scanned: its tree, and with `history` every commit reachable from it. */
  commit: string;
  history: boolean;
}

export interface Judgment {
  repo: string;
  secretHash: string;
  verdict: Verdict;
  /** Why, in a few words: what the value is (never the value). */
  reason: string;
  /** The rules that reported it, as "tool:rule" (informational). */
  rules: string[];
  /** Where it was seen when judged (at most a few): "tree path:line" or "history commit7 path:line". */
  at: string[];
  /** The tool:scope pairs that reported it when judged ("leakstop:tree"): a pair that no longer does shows as gone. */
  by: string[];
}

export interface JudgedList {
  repos: JudgedRepo[];
  judgments: Judgment[];
}

export const judgmentKey = (repo: string, secretHash: string) => `${repo}\0${secretHash}`;

export function parseJudgedList(text: string): JudgedList {
  const j = JSON.parse(text) as JudgedList;
  if (!Array.isArray(j.repos) || !Array.isArray(j.judgments)) throw new Error("judged list: want {repos, judgments}");
  for (const r of j.repos)
    if (!/^[0-9a-f]{40}$/.test(r.commit)) throw new Error(`judged list: ${r.name}: commit must be 40 hex digits`);
  const seen = new Set<string>();
  for (const x of j.judgments) {
    if (!(VERDICTS as readonly string[]).includes(x.verdict))
      throw new Error(`judged list: ${x.repo} ${x.secretHash.slice(0, 12)}: verdict "${x.verdict}"`);
    if (!/^[0-9a-f]{64}$/.test(x.secretHash))
      throw new Error(`judged list: ${x.repo}: secretHash must be 64 hex digits`);
    const k = judgmentKey(x.repo, x.secretHash);
    if (seen.has(k)) throw new Error(`judged list: ${x.repo} ${x.secretHash.slice(0, 12)} judged twice`);
    seen.add(k);
  }
  return j;
}

export const loadJudgedList = (path: string) => parseJudgedList(readFileSync(path, "utf8"));
