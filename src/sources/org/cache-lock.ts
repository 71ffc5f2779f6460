/**
 * One org-scan per organization and cache at a time: two overlapping runs (a slow cron job and the
 * next one) would fetch the same mirrors and race on their state. The lock is a file holding the
 * owner's pid; a lock whose process is gone is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { LeakstopError } from "../../lib/errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock `<cacheDir>/locks/<name>.lock`; returns its release function.
 * @throws LeakstopError LS_CACHE_BUSY while another live process holds it
 */
export function lockCache(cacheDir: string, name: string): () => void {
  const dir = join(cacheDir, "locks");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(readFileSafe(path), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new LeakstopError(
          "LS_CACHE_BUSY",
          `another org-scan (pid ${pid}) is using ${cacheDir} for ${name}; wait for it, or remove ${path} if it is stale`,
        );
      try {
        unlinkSync(path);
      } catch {
        // taken over by another process in between: the next attempt tells
      }
    }
  }
  throw new LeakstopError("LS_CACHE_BUSY", `cannot take the lock ${path}`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
