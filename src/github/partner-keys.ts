/**
 * GitHub's secret-scanning partner keys: the public keys that sign partner alerts
 * (`{public_keys:[{key_identifier,key,is_current}]}`), read from a file or fetched from
 * `<api>/meta/public_keys/secret_scanning`, and the ECDSA P-256 / SHA-256 check of an alert's
 * raw body against one of them. Fetched keys are cached; an unknown identifier triggers one
 * refresh (GitHub rotates keys), at most once per `minRefreshMs`, so a stream of forged
 * identifiers cannot turn the endpoint into a GitHub API amplifier.
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { LeakstopError } from "../lib/errors.js";

/** One key as GitHub lists it. */
export interface PartnerPublicKey {
  keyIdentifier: string;
  key: KeyObject;
  isCurrent: boolean;
}

/** Where the keys come from. */
export type PartnerKeySource =
  | { kind: "file"; path: string }
  | { kind: "api"; apiUrl: string; token: string | null; timeoutMs?: number };

const MAX_ID_LENGTH = 256;

/**
 * Parses GitHub's key list. Keys that are not EC P-256 public keys are refused: the alert
 * algorithm is fixed (ECDSA-NIST-P256V1-SHA256), and a list holding something else is not GitHub's.
 * @throws LeakstopError LS_PARTNER_KEYS_INVALID naming `where` (never the key material)
 */
export function parsePartnerKeys(text: string, where: string): PartnerPublicKey[] {
  const bad = (why: string) => new LeakstopError("LS_PARTNER_KEYS_INVALID", `${where}: ${why}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not JSON (expected GitHub\'s {"public_keys":[...]} list)');
  }
  const list = (doc as { public_keys?: unknown } | null)?.public_keys;
  if (!Array.isArray(list) || list.length === 0) throw bad('no "public_keys" array with at least one key');
  return list.map((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const id = e.key_identifier;
    if (typeof id !== "string" || id === "" || id.length > MAX_ID_LENGTH)
      throw bad(`public_keys[${i}].key_identifier must be a non-empty string`);
    if (typeof e.key !== "string") throw bad(`public_keys[${i}].key must be a PEM public key`);
    let key: KeyObject;
    try {
      key = createPublicKey(e.key);
    } catch {
      throw bad(`public_keys[${i}].key is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
      throw bad(`public_keys[${i}].key is not an EC P-256 key`);
    return { keyIdentifier: id, key, isCurrent: e.is_current === true };
  });
}

/**
 * True when `signatureB64` (base64 of a DER ECDSA signature) signs the exact bytes `rawBody`
 * with `key`. Any malformed input is simply false.
 */
export function verifyPartnerSignature(rawBody: Buffer, signatureB64: string, key: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) return false;
  try {
    return verify("sha256", rawBody, { key, dsaEncoding: "der" }, Buffer.from(signatureB64, "base64"));
  } catch {
    return false;
  }
}

/** Options of {@link PartnerKeySet}. */
export interface PartnerKeySetOptions {
  source: PartnerKeySource;
  /** Least time between two fetches caused by unknown identifiers (default 60 s). */
  minRefreshMs?: number;
  now?: () => number;
}

/** The keys in use, loaded lazily and refreshed when an alert names a key not seen yet. */
export class PartnerKeySet {
  private keys: Map<string, PartnerPublicKey> | null = null;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<Map<string, PartnerPublicKey>> | null = null;
  private readonly minRefreshMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: PartnerKeySetOptions) {
    this.minRefreshMs = opts.minRefreshMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The key with this identifier, or null when GitHub does not list it (after at most one refresh).
   * @throws LeakstopError LS_PARTNER_KEYS_INVALID / LS_GITHUB_API when no key list can be had at all
   */
  async lookup(keyIdentifier: string): Promise<PartnerPublicKey | null> {
    if (!this.keys) this.keys = await this.load();
    const hit = this.keys.get(keyIdentifier);
    if (hit) return hit;
    if (this.opts.source.kind === "file" || this.now() - this.loadedAt < this.minRefreshMs) return null;
    try {
      this.keys = await this.load();
    } catch {
      return null; // the keys we have still stand; an unknown identifier stays unknown
    }
    return this.keys.get(keyIdentifier) ?? null;
  }

  /** Loads once for all concurrent callers. */
  private load(): Promise<Map<string, PartnerPublicKey>> {
    this.inflight ??= readKeys(this.opts.source)
      .then((list) => {
        this.loadedAt = this.now();
        return new Map(list.map((k) => [k.keyIdentifier, k]));
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}

async function readKeys(source: PartnerKeySource): Promise<PartnerPublicKey[]> {
  if (source.kind === "file") {
    let text: string;
    try {
      text = readFileSync(source.path, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
      throw new LeakstopError("LS_PARTNER_KEYS_INVALID", `LEAKSTOP_GITHUB_PARTNER_KEYS ${source.path}: ${code}`);
    }
    return parsePartnerKeys(text, `LEAKSTOP_GITHUB_PARTNER_KEYS ${source.path}`);
  }
  const url = `${source.apiUrl}/meta/public_keys/secret_scanning`;
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "user-agent": "leakstop-partner-endpoint",
  };
  if (source.token) headers.authorization = `Bearer ${source.token}`;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(source.timeoutMs ?? 10_000) });
  } catch (err) {
    const why = (err as { name?: string }).name === "TimeoutError" ? "timed out" : "unreachable";
    throw new LeakstopError("LS_GITHUB_API", `GitHub's secret-scanning keys at ${url}: ${why}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new LeakstopError("LS_GITHUB_API", `GitHub's secret-scanning keys at ${url}: HTTP ${res.status}`);
  }
  return parsePartnerKeys(await res.text(), `GitHub's secret-scanning keys at ${url}`);
}
