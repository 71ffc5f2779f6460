/**
 * Turns "A..B" into the revisions to list, the way a push needs it:
 * - A is an ancestor of B (a fast-forward): the commits of A..B.
 * - A is not (a force push): still A..B, the commits of B that A does not have, i.e. the rewritten ones.
 * - A is the zero id (a branch's first push) or is not in this repository (never fetched, or
 *   garbage-collected after a force push): the commits of B that no other ref has ("base refs":
 *   by default every ref that does not contain B; a pre-push hook passes the remote's refs),
 *   which is all of B's history when there is no other ref. A note says so.
 * - B is an annotated tag (a tag's push): the commits as above, read from the commit it tags, and
 *   the tag object itself (`tag`), whose message and nested tags' messages the range adds; a tag of
 *   a tree or a blob adds no commit, only its messages (a note says so).
 */
import { LeakstopError } from "../../lib/errors.js";
import { isZeroId } from "./diff-args.js";
import { runGitSync } from "./run-git.js";

export interface ResolvedRange {
  /** Lines for `git log --stdin`; empty when B tags no commit (then no commit is scanned). */
  revs: string[];
  /** The full id of B's commit (of B itself when B tags a tree or a blob). */
  to: string;
  /** The full id of A('s commit), or null when A was the zero id or unknown here. */
  from: string | null;
  /** B's tag object when B names an annotated tag: its message is part of what the range adds. */
  tag: string | null;
  /** A's tag object when A names one (a moved tag): the tags it holds are not new. */
  fromTag: string | null;
  /** What the user should know about how the range was read (printed as warnings). */
  notes: string[];
}

export interface RangeSpec {
  from: string;
  to: string;
}

/** Splits "A..B"; "A...B" and a bare revision are refused. An empty side means HEAD, as in git. */
export function parseRangeSpec(text: string): RangeSpec {
  const at = text.indexOf("..");
  if (at === -1 || text.includes("...") || text.indexOf("..", at + 2) !== -1)
    throw new LeakstopError("LS_USAGE", `--range wants A..B (two commits), got "${text}"`);
  return { from: text.slice(0, at) || "HEAD", to: text.slice(at + 2) || "HEAD" };
}

/** The commit id a revision names, or null when this repository has no such commit. */
function commitOf(cwd: string, rev: string): string | null {
  if (rev.startsWith("-")) return null; // never let a revision pass for a git option
  const out = runGitSync(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { okCodes: [0, 1, 128] });
  return out.trim() || null;
}

/** The annotated tag object a revision names, or null (a commit, a lightweight tag, an unknown revision). */
function tagOf(cwd: string, rev: string): string | null {
  if (rev.startsWith("-") || isZeroId(rev)) return null;
  const out = runGitSync(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{tag}`], { okCodes: [0, 1, 128] });
  return out.trim() || null;
}

/** Tips of every ref that does not contain `to`: what counts as already known for a new branch. */
function otherRefTips(cwd: string, to: string): string[] {
  const out = runGitSync(cwd, ["for-each-ref", `--no-contains=${to}`, "--format=%(objectname)"]);
  return [...new Set(out.split("\n").filter(Boolean))];
}

/** Tips of the refs matching for-each-ref patterns (e.g. "refs/remotes/origin/"). */
function refTips(cwd: string, patterns: string[]): string[] {
  const out = runGitSync(cwd, ["for-each-ref", "--format=%(objectname)", ...patterns]);
  return [...new Set(out.split("\n").filter(Boolean))];
}

function newBranchRevs(cwd: string, to: string, baseRefs: string[] | undefined, notes: string[]): string[] {
  const tips = baseRefs ? refTips(cwd, baseRefs) : otherRefTips(cwd, to);
  if (tips.length === 0) notes.push(`no other ref known: scanning all of ${to.slice(0, 12)}'s history`);
  return [to, ...tips.map((t) => `^${t}`)];
}

/**
 * @param baseRefs for a new branch, for-each-ref patterns of the refs whose commits are already
 *   known (e.g. ["refs/remotes/origin/"]); default: every ref that does not contain B.
 * @throws LeakstopError LS_GIT_BAD_REVISION when B is not a commit of this repository
 */
export function resolveRange(cwd: string, spec: RangeSpec, baseRefs?: string[]): ResolvedRange {
  const tag = tagOf(cwd, spec.to);
  const fromTag = tagOf(cwd, spec.from);
  const to = commitOf(cwd, spec.to);
  if (!to) {
    if (tag === null)
      throw new LeakstopError("LS_GIT_BAD_REVISION", `--range: "${spec.to}" is not a commit in this repository`);
    const notes = [`${tag.slice(0, 12)} is a tag of no commit (a tree or a blob): only tag messages were scanned`];
    return { revs: [], to: tag, from: null, tag, fromTag, notes };
  }
  const notes: string[] = [];
  if (isZeroId(spec.from)) {
    const what = tag === null ? "new branch" : "new tag";
    notes.push(`${what} (range starts at the zero id): scanning the commits of ${to.slice(0, 12)} no other ref has`);
    return { revs: newBranchRevs(cwd, to, baseRefs, notes), to, from: null, tag, fromTag, notes };
  }
  const from = commitOf(cwd, spec.from);
  if (!from) {
    notes.push(
      `"${spec.from}" is not in this repository (force push, or not fetched): scanning the commits of ${to.slice(0, 12)} no other ref has`,
    );
    return { revs: newBranchRevs(cwd, to, baseRefs, notes), to, from: null, tag, fromTag, notes };
  }
  // merge-base exits 1 (no output) when the two share no history at all.
  const base = runGitSync(cwd, ["merge-base", from, to], { okCodes: [0, 1] }).trim();
  if (base !== from)
    notes.push(
      `${from.slice(0, 12)} is not an ancestor of ${to.slice(0, 12)} (force push): scanning the commits of ${to.slice(0, 12)} it does not have`,
    );
  return { revs: [to, `^${from}`], to, from, tag, fromTag, notes };
}
