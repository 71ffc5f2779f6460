-- revoke.lua: revokes a key and writes its audit entry atomically. Exactly-once
-- effect: revoking a revoked key changes nothing (optionally records the repeat).
-- KEYS[1] record  KEYS[2] audit log  KEYS[3] audit head
-- KEYS[4] set of findingIds already recorded for this key (same hash tag as the record)
-- ARGV[1] expected id  ARGV[2] revokedAt (ISO)  ARGV[3] reason  ARGV[4] actor
-- ARGV[5] audit entry for the revocation  ARGV[6] audit entry for a repeat, or "" to record nothing
--         (both chained onto the same tip in node: lua/append.lua; the script appends at most one)
-- ARGV[7] the id inside ARGV[5] (kept on the record as revokeEventId: a retried finding
--         finds the same id, so its notification keeps the same eventId)
-- ARGV[8] findingId of the leak that asks, or "" (then every repeat is recorded)
-- Returns {1, seq, eventId, revokedAt} when revoked now;
--   {0, "revoked", eventId, revokedByFinding, repeatRecorded (0/1), revokedAt} if it already was
--   (a redelivery of the finding that revoked it, or a findingId seen before, records nothing);
--   {0, "unknown"} if absent; {-9, "audit-moved", seq, hash} (nothing written) when the audit
--   chain's tip is no longer the one the entry was chained onto.
local cur = redis.call("HMGET", KEYS[1], "id", "status", "revokeEventId", "revokeFindingId", "revokedAt")
if not cur[1] or cur[1] ~= ARGV[1] then return {0, "unknown"} end
if cur[2] == "revoked" then
  local fid = ARGV[8]
  local recorded = 0
  if ARGV[6] ~= "" and (fid == "" or (fid ~= cur[4] and redis.call("SISMEMBER", KEYS[4], fid) == 0)) then
    local moved = audit_moved(KEYS[3], ARGV[6])
    if moved then return moved end
    if fid ~= "" then redis.call("SADD", KEYS[4], fid) end
    audit_append(KEYS[2], KEYS[3], ARGV[6])
    recorded = 1
  end
  return {0, "revoked", cur[3] or "", cur[4] or "", recorded, cur[5] or ""}
end
local moved = audit_moved(KEYS[3], ARGV[5])
if moved then return moved end
redis.call("HSET", KEYS[1], "status", "revoked", "revokedAt", ARGV[2], "revokeReason", ARGV[3], "revokedBy", ARGV[4],
  "revokeEventId", ARGV[7], "revokeFindingId", ARGV[8])
return {1, audit_append(KEYS[2], KEYS[3], ARGV[5]), ARGV[7], ARGV[2]}
