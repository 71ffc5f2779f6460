/**
 * What the registry accepts as text from a caller (ids, names, metadata, revoke
 * reasons, scopes): no control characters, ANSI escapes or bidi overrides (they
 * forge log lines and terminal output), bounded lengths, and nothing a detector
 * recognises as a credential. A credential found there is refused with the field's
 * name: it is never stored, never written to the audit trail, never repeated.
 */
import { LeakstopError } from "../lib/errors.js";

/** Returns the id of the rule that recognises a credential in `text`, or null. */
export type SecretScreen = (text: string) => string | null;

// C0 controls (ESC starts every ANSI escape), DEL, C1 controls, bidi marks/embeddings/overrides/isolates,
// and the line and paragraph separators.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Metadata keys: identifier-like. */
const METADATA_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
export const METADATA_LIMITS = { entries: 32, keyLength: 64, valueLength: 1024 } as const;

function refuse(message: string): never {
  throw new LeakstopError("LS_USAGE", message);
}

/**
 * Checks one caller-supplied text. `field` is its name in the request (`owner.name`,
 * `reason`, `metadata.team`), used in the message; the value never is.
 */
export function checkFreeText(field: string, value: string, max: number, screen: SecretScreen | null): void {
  if (typeof value !== "string") refuse(`${field} must be text`);
  if (value.length > max) refuse(`${field} is longer than ${max} characters`);
  if (UNSAFE_CHARS.test(value)) {
    refuse(`${field} contains control characters, ANSI escapes or bidi overrides, which are not accepted`);
  }
  const rule = screen?.(value) ?? null;
  if (rule !== null) {
    refuse(
      `${field} contains what looks like a credential (${rule}); it was not stored. If it is real, revoke it where it was issued`,
    );
  }
}

/** Checks metadata keys and values (limits, characters, credentials). */
export function checkMetadataText(meta: Record<string, string>, screen: SecretScreen | null): void {
  const entries = Object.entries(meta);
  if (entries.length > METADATA_LIMITS.entries) refuse(`metadata: at most ${METADATA_LIMITS.entries} entries`);
  for (const [k, v] of entries) {
    // A bad key is not repeated: it may itself be the pasted credential.
    if (!METADATA_KEY.test(k)) {
      refuse(`metadata keys are 1-${METADATA_LIMITS.keyLength} letters, digits and _ . : - (one is not)`);
    }
    if (screen?.(k)) refuse("a metadata key contains what looks like a credential; it was not stored");
    checkFreeText(`metadata.${k}`, v, METADATA_LIMITS.valueLength, screen);
  }
}
