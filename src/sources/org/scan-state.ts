/**
 * --since-last state: per repository, the ref tips scanned last time and a digest of the rules
 * that scanned them. The next run passes the tips as `exclude` (their ancestors are skipped); a
 * change of rules makes the run scan the whole history again, since old commits were never
 * checked by the new rules. Written only after a repository's scan succeeded, atomically.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface RepoScanState {
  version: 1;
  repository: string;
  /** Object ids of every ref after the fetch that was scanned. */
  tips: string[];
  /** rulesDigest() of the rule set used. */
  rules: string;
  /** ISO-8601 time the scan finished. */
  scannedAt: string;
}

/** The saved state, or null when there is none or it is unreadable (then the run scans everything). */
export function readScanState(path: string): RepoScanState | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  return parseScanState(text);
}

/** A state from its JSON text, or null when it is not a valid one. */
export function parseScanState(text: string): RepoScanState | null {
  try {
    const s = JSON.parse(text) as Partial<RepoScanState>;
    if (s.version !== 1 || !Array.isArray(s.tips) || typeof s.rules !== "string") return null;
    if (!s.tips.every((t) => typeof t === "string" && /^[0-9a-f]{40,64}$/.test(t))) return null;
    return s as RepoScanState;
  } catch {
    return null;
  }
}

/**
 * Where the state of a repository is kept. `path` is its file in the cache layout; a store may
 * keep it elsewhere (scheduled scans keep it in Redis, shared by every worker host).
 */
export interface ScanStateStore {
  read(path: string): Promise<RepoScanState | null>;
  write(path: string, state: RepoScanState): Promise<void>;
}

/** The default store: one JSON file per repository in the cache folder. */
export const fileScanStateStore: ScanStateStore = {
  read: async (path) => readScanState(path),
  write: async (path, state) => writeScanState(path, state),
};

export function writeScanState(path: string, state: RepoScanState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/** A stable digest of anything JSON-like (the rule set): the same rules give the same digest. */
export function rulesDigest(ruleSet: unknown): string {
  const json = JSON.stringify(ruleSet, (key, value) => (key === "origin" ? undefined : value));
  return createHash("sha256")
    .update(json ?? "")
    .digest("hex")
    .slice(0, 16);
}
