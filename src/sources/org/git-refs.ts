/** The ref tips of a bare mirror, and which of a list of object ids it still holds. */
import { runGit } from "../git/run-git.js";

/** Every distinct object id a ref points at (branches, tags, pull refs), sorted. Empty for an empty repository. */
export async function refTips(dir: string): Promise<string[]> {
  const out = await runGit(dir, ["for-each-ref", "--format=%(objectname)"]);
  return [...new Set(out.split("\n").filter(Boolean))].sort();
}

/** The ids among `ids` that exist in the repository (a force-push plus gc may have dropped old tips). */
export async function existingObjects(dir: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const out = await runGit(dir, ["cat-file", "--batch-check=%(objectname)"], { input: `${ids.join("\n")}\n` });
  return out.split("\n").filter((l) => l !== "" && !l.endsWith(" missing"));
}
