/**
 * Structural checks of formats without a checksum: what a token's parts decode to (Discord, Atlassian Data
 * Center), the range
 * a key must fall in (secp256k1), the length each GitLab token kind has.
 */

/** Discord's epoch (2015-01-01) in Unix milliseconds: a snowflake id holds the ms since it, shifted left 22 bits. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
const YEAR_MS = 31_557_600_000n;

/**
 * A Discord bot token's first part is base64 of the bot's user id, a snowflake: 17 to 20 decimal digits
 * whose timestamp falls between Discord's launch and a few years from now.
 */
export function discordBotToken(secret: string): boolean {
  const first = secret.slice(0, secret.indexOf("."));
  const text = Buffer.from(first.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1");
  if (!/^[1-9][0-9]{16,19}$/.test(text)) return false;
  const ms = BigInt(text) >> 22n;
  return ms > 0n && ms < 25n * YEAR_MS && DISCORD_EPOCH_MS + ms > DISCORD_EPOCH_MS;
}

/** The order of secp256k1's group: a private key is a number from 1 to n-1. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export function secp256k1PrivateKey(secret: string): boolean {
  const hex = secret.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const k = BigInt(`0x${hex}`);
  return k > 0n && k < SECP256K1_N;
}

/**
 * A Jira, Confluence or Bitbucket Data Center personal access token is the base64 of `<12-digit token
 * id>:<20 random bytes>` (44 characters; Atlassian's own example Bearer token opens `MDM0MjM5NDc2MD`, a run
 * of digits): the decoded id is all that tells it from any other base64 of its length.
 */
export function atlassianDataCenterPat(secret: string): boolean {
  if (!/^[A-Za-z0-9+/]{44}$/.test(secret)) return false;
  return /^[0-9]{12}:/.test(Buffer.from(secret, "base64").toString("latin1"));
}

/**
 * Length of the random part of GitLab's classic (non-routable) tokens, by prefix; a token of another
 * length is not one GitLab issued. Kinds not listed here are not checked.
 */
const GITLAB_CLASSIC_LENGTH: Record<string, number> = {
  "glpat-": 20,
  "gldt-": 20,
  "glft-": 20,
  "glsoat-": 20,
  "glffct-": 20,
  "glagent-": 50,
};

export function gitlabClassicLength(secret: string): false | null {
  const dash = secret.indexOf("-");
  const expected = GITLAB_CLASSIC_LENGTH[secret.slice(0, dash + 1)];
  if (expected === undefined) return null;
  // The right length proves little (no checksum): unverified. Any other length: not a token.
  return secret.length - dash - 1 === expected ? null : false;
}
