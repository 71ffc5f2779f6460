-- revoke.lua: revokes a key and writes its audit entry atomically. Exactly-once
-- effect: revoking a revoked key changes nothing (optionally records the repeat).
-- KEYS[1] record  KEYS[2] audit log  KEYS[3] audit head
-- KEYS[4] set of findingIds already recorded for this key (same hash tag as the record)
-- ARGV[1] expected id  ARGV[2] revokedAt (ISO)  ARGV[3] reason  ARGV[4] actor
-- ARGV[5] audit payload for the revocation  ARGV[6] audit payload for a repeat, or "" to record nothing
-- ARGV[7] the id inside ARGV[5] (kept on the record as revokeEventId: a retried finding
--         finds the same id, so its notification keeps the same eventId)
-- ARGV[8] findingId of the leak that asks, or "" (then every repeat is recorded)
-- Returns {1, seq, eventId, revokedAt} when revoked now;
--   {0, "revoked", eventId, revokedByFinding, repeatRecorded (0/1), revokedAt} if it already was
--   (a redelivery of the finding that revoked it, or a findingId seen before, records nothing);
--   {0, "unknown"} if absent.
local cur = redis.call("HMGET", KEYS[1], "id", "status", "revokeEventId", "revokeFindingId", "revokedAt")
if not cur[1] or cur[1] ~= ARGV[1] then return {0, "unknown"} end
if cur[2] == "revoked" then
  local recorded = 0
  local fid = ARGV[8]
  if ARGV[6] ~= "" then
    if fid == "" then
      recorded = 1
    elseif fid ~= cur[4] and redis.call("SADD", KEYS[4], fid) == 1 then
      recorded = 1
    end
    if recorded == 1 then audit_append(KEYS[2], KEYS[3], ARGV[6]) end
  end
  return {0, "revoked", cur[3] or "", cur[4] or "", recorded, cur[5] or ""}
end
redis.call("HSET", KEYS[1], "status", "revoked", "revokedAt", ARGV[2], "revokeReason", ARGV[3], "revokedBy", ARGV[4],
  "revokeEventId", ARGV[7], "revokeFindingId", ARGV[8])
return {1, audit_append(KEYS[2], KEYS[3], ARGV[5]), ARGV[7], ARGV[2]}
