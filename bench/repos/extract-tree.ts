/**
 * Writes one commit's tree of a (bare) repository into a folder, as `git archive` would, but keeps
 * going past blobs the clone lacks (mirrors may leave out their largest files): those are listed and
 * skipped. Symbolic links and submodules are left out (a tree scan does not follow links).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const BIG = 1024 * 1024 * 1024;

function git(repo: string, args: string[], input?: Buffer): Buffer {
  const r = spawnSync("git", ["--git-dir", repo, ...args], { input, maxBuffer: BIG });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr?.toString().trim()}`);
  return r.stdout;
}

/** Returns the files written and the paths skipped because their blob is not in the clone. */
export function extractTree(repo: string, commit: string, dest: string): { files: number; missing: string[] } {
  const entries = git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit])
    .toString("utf8")
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode, type, oid] = line.slice(0, tab).split(" ") as [string, string, string];
      return { mode, type, oid, path: line.slice(tab + 1) };
    })
    .filter((e) => e.type === "blob" && e.mode !== "120000");
  const oids = Buffer.from(entries.map((e) => `${e.oid}\n`).join(""));
  const out = git(repo, ["cat-file", "--batch"], oids);
  const missing: string[] = [];
  let at = 0;
  let files = 0;
  for (const e of entries) {
    const nl = out.indexOf(10, at);
    const head = out.toString("utf8", at, nl).split(" ");
    at = nl + 1;
    if (head[1] === "missing") {
      missing.push(e.path);
      continue;
    }
    const size = Number(head[2]);
    const file = join(dest, e.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out.subarray(at, at + size));
    if (e.mode === "100755") chmodSync(file, 0o755);
    at += size + 1;
    files++;
  }
  return { files, missing };
}
