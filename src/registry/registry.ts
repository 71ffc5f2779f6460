/** The key registry on Redis (SPEC §6). Work in progress: the interface is stable. */
import type { Redis } from "ioredis";
import { LeakstopError } from "../lib/errors.js";
import type { CreateKeyInput, KeyRecord, ListFilter, RegistryOptions, VerifyResult } from "./types.js";

/** Create, list, show, rotate, revoke and verify issued keys. */
export class Registry {
  constructor(
    readonly redis: Redis,
    readonly opts: RegistryOptions = {},
  ) {}

  async create(_input: CreateKeyInput, _actor: string): Promise<{ key: string; record: KeyRecord }> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
  async get(_id: string): Promise<KeyRecord | null> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
  async list(_filter: ListFilter): Promise<{ items: KeyRecord[]; nextCursor: string | null }> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
  async rotate(
    _id: string,
    _opts: { overlapSeconds: number },
    _actor: string,
  ): Promise<{ key: string; record: KeyRecord; previous: KeyRecord }> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
  async revoke(_id: string, _reason: string, _actor: string): Promise<KeyRecord> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
  async revokeByHash(
    _keyHash: string,
    _reason: string,
    _actor: string,
  ): Promise<{ revoked: boolean; record: KeyRecord | null }> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
  async verify(_key: string, _req: { scope?: string; ip?: string } = {}): Promise<VerifyResult> {
    throw new LeakstopError("LS_INTERNAL", "not implemented yet");
  }
}
