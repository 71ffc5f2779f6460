/**
 * Flags that make git's diff output the same whatever the user's config says: no colour, no
 * external diff or textconv (line numbers must be those of the blob), fixed a/ b/ prefixes
 * (diff.noprefix, diff.mnemonicPrefix), full blob ids, rename detection, zero context. `--text`:
 * a `-diff` or `binary` attribute (common for lockfiles and minified bundles) would hide a text
 * file's lines, and a secret in them; the scan itself skips a blob with a NUL byte, as a tree scan.
 */
export const DIFF_ARGS = [
  "-U0",
  "--text",
  "--full-index",
  "-M",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--no-relative",
  "--submodule=short",
];

/**
 * `git -c` settings for those diffs: paths with special bytes quoted C-style whatever the user's
 * core.quotepath says, so a name that is not UTF-8 reaches unquoteGitPath byte for byte.
 */
export const DIFF_CONFIG = ["-c", "core.quotepath=true"];

/** The zero id git uses for "no commit" (a new or deleted branch in a push); SHA-1 or SHA-256 length. */
export function isZeroId(id: string): boolean {
  return /^0{40}$|^0{64}$/.test(id);
}
