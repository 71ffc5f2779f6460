/**
 * What the hook prints when it blocks: what was found, where, and the three ways out. Terse on
 * purpose (it shows up in the middle of `git commit`); secrets redacted as everywhere else.
 */
import { type Finding, kindOfFinding } from "../findings/finding.js";
import { escapeControlCharacters } from "../output/paths.js";

export type HookStage = "commit" | "push";

function where(f: Finding): string {
  const at = `${f.tag !== undefined ? `tag ${f.tag} message` : f.path === "" ? "commit message" : f.path}:${f.startLine}:${f.startColumn}`;
  return f.commit ? `${at} @${f.commit.slice(0, 10)}` : at;
}

export function blockedMessage(findings: readonly Finding[], stage: HookStage, baselineHint: string): string {
  const n = findings.length;
  const tagged = findings.some((f) => f.tag !== undefined);
  const what =
    stage === "commit" ? "the staged changes" : `the ${tagged ? "commits and tags" : "commits"} being pushed`;
  const lines = [`leakstop: ${stage} blocked: ${n} ${n === 1 ? "secret" : "secrets"} in ${what}`];
  for (const f of findings)
    lines.push(
      `  ${escapeControlCharacters(where(f))}  ${f.ruleId} (${f.provider}, ${f.severity}, ${kindOfFinding(f)})  ${escapeControlCharacters(f.match)}`,
    );
  lines.push(
    `To ${stage} anyway, pick one:`,
    stage === "commit"
      ? "  1. remove the secret and stage the file again (revoke it if it is real: it may be in other places already)"
      : `  1. remove the secret from those commits (git rebase -i, git commit --amend)${tagged ? " or tags (git tag -f -a NAME makes one again)" : ""} and revoke it if it is real`,
    "  2. not a secret? add a comment with leakstop:allow on that line",
    `  3. accept it as known: ${baselineHint}`,
  );
  return `${lines.join("\n")}\n`;
}
