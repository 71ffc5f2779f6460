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

/**
 * A byte of a file name that is not UTF-8, as the walk carries it (U+DC80–U+DCFF, Python's
 * "surrogateescape"): a low surrogate with no high one before it.
 */
const ESCAPED_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/**
 * A reported path as a relative URI reference: each segment percent-encoded (spaces, `#`, `%`, `:`,
 * non-ASCII); a name's byte that is not UTF-8 becomes that byte's `%XX`.
 */
export function pathToUriReference(reported: string): string {
  const encode = (segment: string) => {
    let out = "";
    let from = 0;
    for (const m of segment.matchAll(ESCAPED_BYTE)) {
      const byte = m[0].charCodeAt(0) - 0xdc00;
      out += `${encodeURIComponent(segment.slice(from, m.index))}%${byte.toString(16).toUpperCase()}`;
      from = m.index + 1;
    }
    return out + encodeURIComponent(segment.slice(from));
  };
  return reported.split("/").map(encode).join("/");
}

/** Control characters (C0, DEL, C1) that must never reach a terminal or a log line raw, and escaped bytes. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]|(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/**
 * Replaces control characters with visible escapes (`\n`, `\u001b`): file names and secrets come
 * from untrusted input. A file name's byte that is not UTF-8 shows as `\udcNN` (see ESCAPED_BYTE).
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * The git object a finding of a git source sits in, in words: "commit <id>", "commit <id> (commit
 * message)", or for an annotated tag's message "tag <name> (tag message, tag object <id>)".
 */
export function messagePlace(f: { commit?: string; tag?: string; path: string }): string {
  if (f.tag !== undefined) return `tag ${f.tag} (tag message, tag object ${f.commit ?? ""})`;
  return `commit ${f.commit ?? ""}${f.path === "" ? " (commit message)" : ""}`;
}
