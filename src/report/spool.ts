/**
 * The on-disk spool: findings that neither Redis nor the server took, one file per batch, written
 * to a temporary name and renamed (a crash leaves no half file under a real name), mode 0600 in a
 * 0700 folder. A file holds job payloads only (secretHash, location, sealed secrets still sealed),
 * never a raw secret, and is deleted only after its delivery was acknowledged.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { LeakstopError } from "../lib/errors.js";
import type { FindingJob } from "../queue/jobs.js";

const PREFIX = "findings-";
const SUFFIX = ".json";

/** LEAKSTOP_SPOOL_DIR, else $XDG_STATE_HOME/leakstop/spool, else ~/.local/state/leakstop/spool. */
export function spoolDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEAKSTOP_SPOOL_DIR) return env.LEAKSTOP_SPOOL_DIR;
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(state, "leakstop", "spool");
}

interface SpoolFile {
  v: 1;
  jobs: FindingJob[];
}

/** Writes one batch; returns its path. */
export function writeSpool(dir: string, jobs: FindingJob[]): string {
  // Sortable by time, unique across processes.
  const name = `${PREFIX}${Date.now().toString().padStart(15, "0")}-${randomBytes(6).toString("hex")}${SUFFIX}`;
  const path = join(dir, name);
  const tmp = join(dir, `.${name}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const body: SpoolFile = { v: 1, jobs };
    writeFileSync(tmp, JSON.stringify(body), { mode: 0o600, flag: "wx" });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new LeakstopError("LS_IO", `cannot write the report spool in ${dir} (${code})`);
  }
  return path;
}

/** The spooled batches, oldest first (an absent folder is an empty spool). */
export function listSpool(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new LeakstopError("LS_IO", `cannot read the report spool ${dir} (${(err as NodeJS.ErrnoException).code})`);
  }
  return names
    .filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX))
    .sort()
    .map((n) => join(dir, n));
}

function looksLikeJob(j: unknown): j is FindingJob {
  const o = j as Partial<FindingJob> | null;
  return (
    typeof o === "object" &&
    o !== null &&
    typeof o.findingId === "string" &&
    /^[0-9a-f]{64}$/.test(o.findingId) &&
    typeof o.secretHash === "string" &&
    typeof o.ruleId === "string" &&
    typeof o.location === "object"
  );
}

/** The jobs of one spool file; LS_SPOOL_INVALID when it is not a spool file (it is then left in place). */
export function readSpool(path: string): FindingJob[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new LeakstopError("LS_SPOOL_INVALID", `${path} is not a readable leakstop spool file; it was left in place`);
  }
  const body = parsed as Partial<SpoolFile> | null;
  if (body?.v !== 1 || !Array.isArray(body.jobs) || !body.jobs.every(looksLikeJob)) {
    throw new LeakstopError("LS_SPOOL_INVALID", `${path} is not a leakstop spool file; it was left in place`);
  }
  return body.jobs;
}

/** Moves a batch the server refused out of the queue of batches to send (kept for inspection); returns its new path. */
export function setAside(path: string): string {
  const aside = join(dirname(path), `rejected-${basename(path)}`);
  try {
    renameSync(path, aside);
  } catch (err) {
    throw new LeakstopError("LS_IO", `cannot set aside ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return aside;
}

/** Deletes a delivered batch. */
export function removeSpool(path: string): void {
  rmSync(path, { force: true });
}
