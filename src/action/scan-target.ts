/**
 * Turns what the event asks for into what to scan in this checkout: a commit range, the full
 * history, or nothing. Commits the event names must be in the checkout; a shallow one is told
 * to fetch the full history instead of silently scanning less.
 */
import { LeakstopError } from "../lib/errors.js";
import type { EventRequest } from "./event.js";
import type { Checkout } from "./git-checkout.js";

/** Something the run should tell the user (shown as a notice or warning annotation and in the summary). */
export interface TargetNote {
  level: "notice" | "warning";
  text: string;
}

export type ScanTarget =
  /**
   * The commits reachable from `head` and not from `base`. base null: the commits of head that no
   * other ref has (scanRange's reading of a range from the zero id), all of its history without one.
   */
  | {
      kind: "range";
      base: string | null;
      head: string;
      /** The pushed annotated tag (a tag's push): its message, and its nested tags', are scanned too. */
      tag?: string;
      label: string;
      notes: TargetNote[];
    }
  | { kind: "history"; label: string; notes: TargetNote[] }
  | { kind: "nothing"; label: string; notes: TargetNote[] };

const FULL_HISTORY_HINT = "check out with actions/checkout and fetch-depth: 0";

export function resolveScanTarget(request: EventRequest, checkout: Checkout): ScanTarget {
  switch (request.kind) {
    case "nothing":
      return { kind: "nothing", label: request.reason, notes: [] };
    case "history": {
      const notes = checkout.shallow
        ? [warning(`the checkout is shallow: only the history it holds was scanned (${FULL_HISTORY_HINT})`)]
        : [];
      return { kind: "history", label: `full history (${request.event})`, notes };
    }
    case "compare":
      return compareTarget(request, checkout);
    case "push":
      return pushTarget(request, checkout);
  }
}

function compareTarget(request: Extract<EventRequest, { kind: "compare" }>, checkout: Checkout): ScanTarget {
  const head = needCommit(checkout, request.head, `the ${request.label}'s head commit`, request.event);
  const base = needCommit(checkout, request.base, `the ${request.label}'s base commit`, request.event);
  // Through the merge base: the commits the pull request adds, not those its base gained since.
  const mergeBase = checkout.mergeBase(base, head);
  const label = `${request.label}: ${short(mergeBase ?? base)}..${short(head)}`;
  return { kind: "range", base: mergeBase ?? base, head, label, notes: [] };
}

function pushTarget(request: Extract<EventRequest, { kind: "push" }>, checkout: Checkout): ScanTarget {
  const what = `push to ${request.ref}`;
  // An annotated tag's push: \`after\` may be the tag object (GitHub sends it for annotated tags).
  const tag = checkout.tag(request.after) ?? undefined;
  if (tag !== undefined && checkout.commit(tag) === null)
    // A tag of a tree or a blob: no commit to read, only its message (and its nested tags').
    return { kind: "range", base: null, head: tag, tag, label: `${what}: tag ${short(tag)} of no commit`, notes: [] };
  const target = commitPushTarget(request, checkout, what);
  return tag === undefined || target.kind !== "range" ? target : { ...target, tag };
}

function commitPushTarget(
  request: Extract<EventRequest, { kind: "push" }>,
  checkout: Checkout,
  what: string,
): ScanTarget {
  const head = needCommit(checkout, request.after, "the pushed commit", "push");
  if (request.before !== null) {
    const before = checkout.commit(request.before);
    if (before !== null)
      return { kind: "range", base: before, head, label: `${what}: ${short(before)}..${short(head)}`, notes: [] };
    // A forced push replaced `before`, and a full clone need not have it any more.
    if (!request.forced || checkout.shallow)
      throw checkoutError(`the commit before the push (${short(request.before)}) is not in the checkout`);
  }
  if (checkout.shallow)
    throw checkoutError(
      `a ${request.before === null ? "first push" : "forced push"} needs the full history to know what it added`,
    );
  const base = newCommitsBase(request, checkout, head);
  const why = request.before === null ? "first push" : "forced push";
  const range = `${base === null ? "" : `${short(base)}..`}${short(head)}`;
  // Without a base, scanRange explains its own reading of the range.
  const notes =
    base === null
      ? []
      : [notice(`${why}: the commits not on the default branch (${request.defaultBranch}) were scanned`)];
  return { kind: "range", base, head, label: `${what} (${why}): ${range}`, notes };
}

/**
 * The base of a push whose previous tip is unknown (a new branch or tag, a forced push): what the
 * default branch already has is not new, so a tag or a branch made on it adds nothing. Pushing the
 * default branch itself, or a history unrelated to it: null (the commits no other ref has).
 */
function newCommitsBase(
  request: Extract<EventRequest, { kind: "push" }>,
  checkout: Checkout,
  head: string,
): string | null {
  const branch = request.defaultBranch;
  if (branch === null || request.ref === `refs/heads/${branch}`) return null;
  const tip = checkout.remoteBranch(branch);
  return tip === null ? null : checkout.mergeBase(tip, head);
}

function needCommit(checkout: Checkout, sha: string, what: string, event: string): string {
  const commit = checkout.commit(sha);
  if (commit !== null) return commit;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression for the user to paste
  const extra = event === "pull_request_target" ? " and ref: ${{ github.event.pull_request.head.sha }}" : "";
  throw checkoutError(`${what} (${short(sha)}) is not in the checkout`, extra);
}

function checkoutError(what: string, extra = ""): LeakstopError {
  return new LeakstopError("LS_ACTION_CHECKOUT", `${what}: ${FULL_HISTORY_HINT}${extra}`);
}

function notice(text: string): TargetNote {
  return { level: "notice", text };
}

function warning(text: string): TargetNote {
  return { level: "warning", text };
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
