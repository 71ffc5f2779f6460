/** The few questions the Action asks the checked-out repository before it scans. */
import { spawnSync } from "node:child_process";
import { LeakstopError } from "../lib/errors.js";

/** Runs git in `root`; null when it fails (a missing object is an answer here, not an error). */
function git(root: string, args: string[]): string | null {
  const r = spawnSync("git", ["-C", root, ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw new LeakstopError("LS_ACTION_CHECKOUT", `cannot run git: ${(r.error as { code?: string }).code}`);
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A read-only view of the checkout. */
export interface Checkout {
  root: string;
  shallow: boolean;
  /** The commit `rev` names (an annotated tag is peeled), or null when it is not in the checkout. */
  commit(rev: string): string | null;
  /** The best common ancestor of two commits, or null for unrelated histories. */
  mergeBase(a: string, b: string): string | null;
  /** The commit a remote-tracking branch points at, or null when it was not fetched. */
  remoteBranch(name: string): string | null;
}

/**
 * @throws LeakstopError LS_ACTION_CHECKOUT when `root` is not a git work tree
 */
export function openCheckout(root: string): Checkout {
  const inside = git(root, ["rev-parse", "--is-inside-work-tree"]);
  if (inside !== "true")
    throw new LeakstopError(
      "LS_ACTION_CHECKOUT",
      `${root} is not a git checkout: run actions/checkout (with fetch-depth: 0) before leakstop`,
    );
  const commit = (rev: string) =>
    git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  return {
    root,
    shallow: git(root, ["rev-parse", "--is-shallow-repository"]) === "true",
    commit,
    mergeBase: (a, b) => git(root, ["merge-base", a, b]),
    // actions/checkout fetches branches as refs/remotes/origin/*; a local clone has them under the same name.
    remoteBranch: (name) => commit(`refs/remotes/origin/${name}`) ?? commit(`refs/heads/${name}`),
  };
}
