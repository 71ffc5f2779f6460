/**
 * Blanks anything shaped like a leakstop key (`<issuer>_<live|test>_<38 base62>`) in a text that
 * is about to be stored or logged. The pipeline never handles raw keys; this is the belt to
 * that brace, for text that comes from outside (paths, repository names, odd job fields).
 */

const KEY_SHAPE = /[a-z0-9]{2,10}_(?:live|test)_[0-9A-Za-z]{38}/g;

/** What stands in for a blanked key. */
export const KEY_MARK = "[key removed]";

/** `text` with every key-shaped run replaced by {@link KEY_MARK}. */
export function scrubKeys(text: string): string {
  return text.includes("_live_") || text.includes("_test_") ? text.replace(KEY_SHAPE, KEY_MARK) : text;
}
