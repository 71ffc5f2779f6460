/** The stable id of a reported finding: the BullMQ job id, so a resend is the same job. */
import { sha256Hex } from "../lib/hash.js";
import type { LeakLocation } from "./jobs.js";

/**
 * SHA-256 hex of the secretHash and where it was seen (source, repository, commit, path, line,
 * column): the same secret at the same place gives the same id on every run and every host.
 */
export function findingIdOf(secretHash: string, loc: LeakLocation): string {
  return sha256Hex(
    JSON.stringify([
      secretHash,
      loc.source,
      loc.repository ?? "",
      loc.commit ?? "",
      loc.path,
      loc.startLine,
      loc.startColumn,
    ]),
  );
}
