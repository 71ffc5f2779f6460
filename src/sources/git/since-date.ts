/**
 * `--since` as git reads it. git reads a text it does not understand as a date ("yesteday") as
 * "now", so a typo would scan no commit and report nothing: that is an error here.
 */
import { LeakstopError } from "../../lib/errors.js";
import { runGit } from "./run-git.js";

/**
 * Resolves `since` with git's own date parser (`git rev-parse --since=`) in `gitDir`.
 * @returns the cut-off, Unix seconds
 * @throws LeakstopError LS_USAGE when git reads it as now or later (nothing would be scanned)
 */
export async function checkSince(gitDir: string, since: string, now = Date.now()): Promise<number> {
  const out = await runGit(gitDir, ["rev-parse", `--since=${since}`]);
  const seconds = Number(/^--max-age=(\d+)$/m.exec(out)?.[1] ?? Number.NaN);
  if (!Number.isFinite(seconds) || seconds >= Math.floor(now / 1000) - 1)
    throw new LeakstopError(
      "LS_USAGE",
      `--since: git reads ${JSON.stringify(since)} as now, so no commit would be scanned; give a past date (2024-01-31, "2 weeks ago")`,
    );
  return seconds;
}
