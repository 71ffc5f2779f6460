/**
 * Which commit introduced each secret found in history. Blobs are scanned once each, without
 * knowing their commits; this pass then walks the change index that the history listing kept
 * (commit, path, new blob, replaced blob(s)) and, only for blobs with findings:
 *
 * - a secret is *introduced* at a path by a commit when the commit's version of the path holds it
 *   and the version(s) it replaced (every parent's, for a merge's conflict resolution) do not;
 * - a secret the same commit removed from another path (a rename or a move) is not introduced
 *   again: it stays reported where it first appeared;
 * - a secret introduced at the same path several times (re-added after a removal, or on two
 *   branches) is reported once, at the earliest introduction (author date).
 * So a secret kept through later edits or renames is one finding, at the commit and line that
 * introduced it; a secret copied into a second file is a second finding (same fingerprint).
 */
import type { Finding } from "../findings/finding.js";
import type { HistoryIndex } from "../sources/git/history-log.js";

/** One secret's introduction: findings at the introducing commit's version of the path. */
export interface Introduction {
  commit: number;
  path: string;
  findings: Finding[];
}

const keyOf = (f: Finding) => `${f.ruleId}\0${f.secretHash}`;

export function findIntroductions(index: HistoryIndex, blobFindings: Map<number, Finding[]>): Introduction[] {
  const keyCache = new Map<number, Set<string>>();
  const keysOf = (blob: number): Set<string> | null => {
    const found = blobFindings.get(blob);
    if (!found) return null;
    let keys = keyCache.get(blob);
    if (!keys) {
      keys = new Set(found.map(keyOf));
      keyCache.set(blob, keys);
    }
    return keys;
  };
  const out: Introduction[] = [];
  for (let e = 0; e < index.entries; ) {
    const commit = index.entryCommit.get(e);
    let end = e;
    while (end < index.entries && index.entryCommit.get(end) === commit) end++;
    const introduced: { entry: number; keys: Set<string> }[] = [];
    const removed = new Set<string>();
    for (let x = e; x < end; x++) {
      const [from, to] = index.srcRange(x);
      const now = keysOf(index.entryBlob.get(x));
      const fresh = now ? new Set(now) : null;
      for (let s = from; s < to; s++) {
        const before = keysOf(index.srcs.get(s));
        if (!before) continue;
        for (const k of before) {
          fresh?.delete(k);
          if (!now?.has(k)) removed.add(k);
        }
      }
      if (fresh && fresh.size > 0) introduced.push({ entry: x, keys: fresh });
    }
    for (const { entry, keys } of introduced) {
      const found = blobFindings.get(index.entryBlob.get(entry)) ?? [];
      const findings = found.filter((f) => keys.has(keyOf(f)) && !removed.has(keyOf(f)));
      if (findings.length > 0) out.push({ commit, path: index.paths[index.entryPath.get(entry)]!, findings });
    }
    e = end;
  }
  return out;
}

export interface CommitInfo {
  author: string;
  email: string;
  /** ISO-8601 author date. */
  date: string;
}

/**
 * One finding per secret, path and position: each (rule, secret, path) keeps only its earliest
 * introduction; findings carry the introducing commit and the path it had then.
 */
export function attributeFindings(
  index: HistoryIndex,
  intros: Introduction[],
  commits: Map<string, CommitInfo>,
): Finding[] {
  const dateOf = (c: number) => Date.parse(commits.get(index.commits[c]!)?.date ?? "") || 0;
  const earliest = new Map<string, Introduction>();
  for (const intro of intros) {
    for (const f of intro.findings) {
      const key = `${keyOf(f)}\0${intro.path}`;
      const prev = earliest.get(key);
      // Ties go to the later entry in log order: git log lists newer commits first.
      if (!prev || dateOf(intro.commit) <= dateOf(prev.commit)) earliest.set(key, intro);
    }
  }
  const out: Finding[] = [];
  for (const intro of intros) {
    const oid = index.commits[intro.commit]!;
    const info = commits.get(oid);
    for (const f of intro.findings) {
      if (earliest.get(`${keyOf(f)}\0${intro.path}`) !== intro) continue;
      out.push({ ...f, path: intro.path, source: "history", commit: oid, ...info });
    }
  }
  return out;
}
