/** What stands in for the hidden part of a secret. */
export const REDACTION_MARK = "…";

/** Secrets shorter than this show no character at all: a quarter of them would be 0 or 1 characters anyway. */
export const MIN_REVEALED_LENGTH = 8;

/** How many characters beyond a format's fixed prefix may ever be shown. */
export const MAX_BODY_CHARACTERS = 4;

/**
 * Redacts a secret for display (SPEC §4): its format's fixed prefix plus at most 4 characters,
 * never more than a quarter of the secret (in code points), and never past its first line break,
 * followed by "…". Secrets shorter than {@link MIN_REVEALED_LENGTH} become just "…".
 *
 * @param secret the raw secret
 * @param prefixLength length of the format's fixed prefix (e.g. 4 for `ghp_`); 0 when the format has none
 */
export function redactSecret(secret: string, prefixLength: number): string {
  const chars = Array.from(secret); // code points: never cut a surrogate pair in half
  if (chars.length < MIN_REVEALED_LENGTH) return REDACTION_MARK;
  const prefix = Number.isFinite(prefixLength) ? Math.max(0, Math.floor(prefixLength)) : 0;
  let shown = Math.min(prefix + MAX_BODY_CHARACTERS, Math.floor(chars.length / 4));
  // A multi-line secret (a PEM block) shows at most its first line: the layout stays one line per finding.
  const lineBreak = chars.findIndex((c) => c === "\n" || c === "\r");
  if (lineBreak !== -1 && lineBreak < shown) shown = lineBreak;
  return chars.slice(0, shown).join("") + REDACTION_MARK;
}
