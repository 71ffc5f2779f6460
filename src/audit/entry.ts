/**
 * Audit entries: the payload the registry's Lua scripts chain (built here, in a
 * fixed field order), and the hash that links an entry to the previous one.
 * The Lua side (src/audit/lua/append.lua) computes the same hash.
 */
import { randomUUID } from "node:crypto";
import { sha256Hex } from "../lib/hash.js";
import type { AuditSigner } from "./signing.js";
import type { AuditEntry } from "./types.js";

/** prevHash of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** What a state change records. Never put a key, only its id and hint. */
export interface AuditEvent {
  /** The entry's id (default: a fresh UUID). */
  id?: string;
  ts: string;
  action: string;
  actor: string;
  keyId: string | null;
  hint: string | null;
  details?: AuditEntry["details"];
}

/** What an entry's signature covers: a fixed prefix (so no other signed text can pass for one), then the payload. */
export function entrySigningText(unsignedPayload: string): string {
  return `leakstop-audit-entry\n${unsignedPayload}`;
}

/**
 * The payload JSON the append script chains (id, ts, action, actor, keyId, hint, details, in that
 * order), with `sig` last when a signer is given: the Ed25519 signature of the payload before it.
 */
export function auditPayload(event: AuditEvent, signer?: AuditSigner | null): string {
  const payload = JSON.stringify({
    id: event.id ?? randomUUID(),
    ts: event.ts,
    action: event.action,
    actor: event.actor,
    keyId: event.keyId,
    hint: event.hint,
    details: event.details ?? {},
  });
  if (!signer) return payload;
  return `${payload.slice(0, -1)},"sig":${JSON.stringify(signer.sign(entrySigningText(payload)))}}`;
}

/** The chain hash of an entry: SHA-256 of `prevHash \n seq \n payload`. */
export function entryHash(prevHash: string, seq: number, payload: string): string {
  return sha256Hex(`${prevHash}\n${seq}\n${payload}`);
}

/** A stored entry split into its chain fields and the payload text they were computed over. */
export interface ParsedEntry {
  entry: AuditEntry;
  payload: string;
  /** The payload without its signature (what `sig` signs), and the signature; null when unsigned. */
  signed: { text: string; sig: string } | null;
}

/**
 * Parses a stored entry; null when it is not an entry at all. The payload text is
 * rebuilt with JSON.stringify, which gives back exactly the text that was hashed
 * (the payload was produced by JSON.stringify and key order is preserved).
 */
export function parseStoredEntry(raw: string): ParsedEntry | null {
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return null;
  const { seq, prevHash, hash, ...rest } = obj as Record<string, unknown>;
  if (typeof seq !== "number" || typeof prevHash !== "string" || typeof hash !== "string") return null;
  const payload = JSON.stringify(rest);
  const { sig, ...unsigned } = rest;
  const signed = typeof sig === "string" ? { text: JSON.stringify(unsigned), sig } : null;
  return { entry: obj as AuditEntry, payload, signed };
}

/** A place in the chain: the entry at `seq` has `hash` (seq 0 with {@link GENESIS_HASH}: the empty chain). */
export interface ChainLink {
  seq: number;
  hash: string;
}

/** An entry hashed onto a tip, as the append script stores it, and the tip it makes. */
export interface ChainedEntry {
  text: string;
  link: ChainLink;
}

/**
 * The stored text of `payload` chained onto `tip`: `{"seq":N,"prevHash":P,"hash":H,<payload fields>}`.
 * The append script (lua/append.lua) reads seq, prevHash and hash back from this fixed prefix.
 */
export function chainEntry(tip: ChainLink, payload: string): ChainedEntry {
  const seq = tip.seq + 1;
  const hash = entryHash(tip.hash, seq, payload);
  return { text: `{"seq":${seq},"prevHash":"${tip.hash}","hash":"${hash}",${payload.slice(1)}`, link: { seq, hash } };
}
