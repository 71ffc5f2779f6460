/** The ref tips of a bare mirror, and which of a list of object ids it still holds. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

async function git(dir: string, args: string[], input?: string): Promise<string> {
  const child = run("git", ["-C", dir, ...args], { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

/** Every distinct object id a ref points at (branches, tags, pull refs), sorted. Empty for an empty repository. */
export async function refTips(dir: string): Promise<string[]> {
  const out = await git(dir, ["for-each-ref", "--format=%(objectname)"]);
  return [...new Set(out.split("\n").filter(Boolean))].sort();
}

/** The ids among `ids` that exist in the repository (a force-push plus gc may have dropped old tips). */
export async function existingObjects(dir: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const out = await git(dir, ["cat-file", "--batch-check=%(objectname)"], `${ids.join("\n")}\n`);
  return out.split("\n").filter((l) => l !== "" && !l.endsWith(" missing"));
}
