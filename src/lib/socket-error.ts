/** fetch (and Octokit over it) wraps the socket error in `cause`: ECONNREFUSED, ENOTFOUND, a timeout. */

/** The socket error's code ("ECONNREFUSED", …, or "timed out") found within a few `cause` levels, else undefined. */
export function socketErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    if ((e as { name?: string }).name === "TimeoutError") return "timed out";
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
