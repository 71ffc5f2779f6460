/**
 * Least privilege on the key admin routes (SPEC §6). A caller may create, rotate
 * or revoke only keys of owners it manages, whose leakstop scopes are a subset of
 * its own, and never a key of a higher role (an admin key, or one managing owners
 * the caller does not). Application scopes (`orders:read`) are not leakstop's to
 * ration: an issuer hands those out to the owners it manages.
 */
import { isAdminScopes, type KeyRecord, SCOPES } from "../registry/index.js";
import { ApiError } from "./errors.js";

/** An authenticated caller with what its record says it manages. */
export interface Principal {
  keyId: string;
  scopes: readonly string[];
  /** Owner ids, or `*` for all. */
  manages: readonly string[];
}

function forbid(message: string): never {
  throw new ApiError("LS_FORBIDDEN", message);
}

/** True when the caller manages every owner (an admin key, or one managing `*`). */
export function managesAll(p: Principal): boolean {
  return isAdminScopes(p.scopes) || p.manages.includes("*");
}

/** True when the caller manages this owner's keys. */
export function managesOwner(p: Principal, ownerId: string): boolean {
  return managesAll(p) || p.manages.includes(ownerId);
}

/** The leakstop scopes in `scopes` the caller does not hold. */
function scopesBeyond(p: Principal, scopes: readonly string[]): string[] {
  return scopes.filter((s) => (SCOPES as readonly string[]).includes(s) && !p.scopes.includes(s));
}

/** Owners in `manages` beyond the caller's own reach. */
function managesBeyond(p: Principal, manages: readonly string[]): string[] {
  if (managesAll(p)) return [];
  return manages.filter((m) => m === "*" || !p.manages.includes(m));
}

function callerReach(p: Principal): string {
  return managesAll(p) ? "every owner" : `owners ${p.manages.join(", ")}`;
}

/** Throws 403 unless the caller may issue a key like this one (owner, scopes, managed owners). */
export function assertMayCreate(
  p: Principal,
  key: { ownerId: string; scopes: readonly string[]; manages?: readonly string[] },
): void {
  // The owner id is not repeated: it came from the request and is the caller's own text.
  if (!managesOwner(p, key.ownerId)) forbid(`the caller key manages ${callerReach(p)}, not the owner of this key`);
  const missing = scopesBeyond(p, key.scopes);
  if (missing.length > 0) forbid(`this key would grant ${missing.join(", ")}, which the caller key does not hold`);
  if (key.manages && managesBeyond(p, key.manages).length > 0) {
    forbid(`this key would manage owners beyond the caller key's reach (${callerReach(p)})`);
  }
}

/**
 * Throws 403 unless the caller may read `target` (GET /v1/keys/:id): only keys of the owners it
 * manages. The owner is not named: the caller may not know it.
 */
export function assertMayRead(p: Principal, target: KeyRecord): void {
  if (!managesOwner(p, target.owner.id)) {
    forbid(`cannot show ${target.id}: the caller key manages ${callerReach(p)}, not the owner of this key`);
  }
}

/**
 * The list filter narrowed to the caller's reach: every owner for admins and `*`, else only the
 * owners it manages; asking for another owner by name is a 403.
 */
export function listScope(p: Principal, owner: string | undefined): { ownerIn?: readonly string[] } {
  if (managesAll(p)) return {};
  if (owner !== undefined && !managesOwner(p, owner)) {
    forbid(`the caller key manages ${callerReach(p)}, not the owner asked for`);
  }
  return { ownerIn: p.manages };
}

/** Throws 403 unless the caller may rotate or revoke `target`. */
export function assertMayChange(p: Principal, target: KeyRecord, action: "rotate" | "revoke"): void {
  const what = `cannot ${action} ${target.id}`;
  if (!managesOwner(p, target.owner.id)) {
    forbid(`${what}: it belongs to owner ${target.owner.id}; the caller key manages ${callerReach(p)}`);
  }
  if (isAdminScopes(target.scopes) && !isAdminScopes(p.scopes)) forbid(`${what}: it is an admin key`);
  const missing = scopesBeyond(p, target.scopes);
  if (missing.length > 0) forbid(`${what}: it holds ${missing.join(", ")}, which the caller key does not`);
  if (managesBeyond(p, target.manages).length > 0) {
    forbid(`${what}: it manages owners beyond the caller key's reach (${callerReach(p)})`);
  }
}
