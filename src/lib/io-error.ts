/**
 * File-system errors in words a user acts on, and the check that an output path can be written
 * before a long scan runs rather than after it.
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LeakstopError } from "./errors.js";

const WORDS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EMFILE: "too many open files",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
};

/** `no such file or folder (ENOENT)`; the error's code alone when it has no words here. */
export function ioErrorText(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return "unknown error";
  const words = WORDS[code];
  return words ? `${words} (${code})` : code;
}

/**
 * Throws LS_IO (`cannot write WHAT PATH: …`) when `path` cannot be written: it is a folder, its
 * folder does not exist or is not a folder, or this user may not write it (or create it there).
 * @param replace the file is written next to `path` and renamed over it (needs the folder writable)
 */
export function checkWritable(path: string, what: string, replace = false): void {
  const fail = (why: string) => {
    throw new LeakstopError("LS_IO", `cannot write ${what} ${path}: ${why}`);
  };
  const abs = resolve(path);
  let exists = false;
  try {
    if (statSync(abs).isDirectory()) fail(ioErrorText({ code: "EISDIR" }));
    exists = true;
  } catch (err) {
    if (err instanceof LeakstopError) throw err;
    if ((err as { code?: string }).code !== "ENOENT") fail(ioErrorText(err));
  }
  const dir = dirname(abs);
  try {
    if (!statSync(dir).isDirectory()) fail(`${dir} is not a folder`);
  } catch (err) {
    if (err instanceof LeakstopError) throw err;
    fail(`the folder ${dirname(path)} does not exist`);
  }
  try {
    accessSync(exists && !replace ? abs : dir, constants.W_OK);
  } catch (err) {
    fail(ioErrorText(err));
  }
}
