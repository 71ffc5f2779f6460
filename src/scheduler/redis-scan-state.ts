/**
 * The --since-last state of scheduled scans, in Redis instead of the cache folder: a repository's
 * next job may run on another worker host (with its own mirror cache), and it must still scan only
 * the commits no host scanned before. One string key per repository, named after its place in the
 * cache layout (`<host>/<owner>/<name>`). Writes are held back until {@link BufferedStateStore.commit}:
 * the state moves on only once the findings are safely on the queue.
 */
import { relative, sep } from "node:path";
import type { Redis } from "ioredis";
import { parseScanState, type RepoScanState, type ScanStateStore } from "../sources/org/scan-state.js";

/** `<ns>:org-scan:state:<host>/<owner>/<name>`. */
export function scanStateKey(namespace: string, cacheDir: string, statePath: string): string {
  const rel = relative(`${cacheDir}${sep}state`, statePath)
    .split(sep)
    .join("/")
    .replace(/\.json$/, "");
  return `${namespace}:org-scan:state:${rel.toLowerCase()}`;
}

/** A store that reads from Redis and keeps the write until `commit()`. */
export class BufferedStateStore implements ScanStateStore {
  private pending: { key: string; state: RepoScanState } | null = null;

  constructor(
    private readonly redis: Pick<Redis, "get" | "set">,
    private readonly namespace: string,
    private readonly cacheDir: string,
  ) {}

  async read(path: string): Promise<RepoScanState | null> {
    const text = await this.redis.get(scanStateKey(this.namespace, this.cacheDir, path));
    return text ? parseScanState(text) : null;
  }

  async write(path: string, state: RepoScanState): Promise<void> {
    this.pending = { key: scanStateKey(this.namespace, this.cacheDir, path), state };
  }

  /** Stores the held-back state, if any. */
  async commit(): Promise<void> {
    if (!this.pending) return;
    await this.redis.set(this.pending.key, JSON.stringify(this.pending.state));
    this.pending = null;
  }
}
