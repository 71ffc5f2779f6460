import { isAbsolute, relative } from "node:path";

/**
 * A finding's path as reported: relative to the scan root with forward slashes.
 * Paths that are already relative are kept (only their separators change); "" stays ""
 * (a secret found in a commit message has no path).
 */
export function reportedPath(path: string, root: string): string {
  if (path === "") return "";
  const relativePath = isAbsolute(path) && root !== "" ? relative(root, path) : path;
  return relativePath.replace(/\\/g, "/");
}

/** A reported path as a relative URI reference: each segment percent-encoded (spaces, `#`, `%`, `:`, non-ASCII). */
export function pathToUriReference(reported: string): string {
  return reported.split("/").map(encodeURIComponent).join("/");
}

/** Control characters (C0, DEL, C1) that must never reach a terminal or a log line raw. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Replaces control characters with visible escapes (`\n`, `\u001b`): file names and secrets come from untrusted input. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
