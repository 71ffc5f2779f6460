/**
 * Audit entries: the payload the registry's Lua scripts chain (built here, in a
 * fixed field order), and the hash that links an entry to the previous one.
 * The Lua side (src/audit/lua/append.lua) computes the same hash.
 */
import { randomUUID } from "node:crypto";
import { sha256Hex } from "../lib/hash.js";
import type { AuditEntry } from "./types.js";

/** prevHash of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** What a state change records. Never put a key, only its id and hint. */
export interface AuditEvent {
  ts: string;
  action: string;
  actor: string;
  keyId: string | null;
  hint: string | null;
  details?: AuditEntry["details"];
}

/** The payload JSON the append script chains (id, ts, action, actor, keyId, hint, details, in that order). */
export function auditPayload(event: AuditEvent): string {
  return JSON.stringify({
    id: randomUUID(),
    ts: event.ts,
    action: event.action,
    actor: event.actor,
    keyId: event.keyId,
    hint: event.hint,
    details: event.details ?? {},
  });
}

/** The chain hash of an entry: SHA-256 of `prevHash \n seq \n payload`. */
export function entryHash(prevHash: string, seq: number, payload: string): string {
  return sha256Hex(`${prevHash}\n${seq}\n${payload}`);
}

/** A stored entry split into its chain fields and the payload text they were computed over. */
export interface ParsedEntry {
  entry: AuditEntry;
  payload: string;
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
  return { entry: obj as AuditEntry, payload: JSON.stringify(rest) };
}
