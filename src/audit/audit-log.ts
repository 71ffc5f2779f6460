/** The hash-chained audit trail (SPEC §7). Work in progress: the interface is stable. */
import type { Redis } from "ioredis";
import { LeakstopError } from "../lib/errors.js";
import type { AuditEntry, AuditVerifyResult } from "./types.js";

/** Reads, verifies and exports the audit chain. Entries are appended only by the registry's Lua scripts. */
export class AuditLog {
  constructor(
    readonly redis: Redis,
    readonly opts: { namespace?: string } = {},
  ) {}

  async verify(): Promise<AuditVerifyResult> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }

  // biome-ignore lint/correctness/useYield: stub
  async *export(_opts: { since?: string } = {}): AsyncIterable<AuditEntry> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
}
