-- revoke.lua: revokes a key and writes its audit entry atomically. Exactly-once
-- effect: revoking a revoked key changes nothing (optionally records the repeat).
-- KEYS[1] record  KEYS[2] audit log  KEYS[3] audit head
-- ARGV[1] expected id  ARGV[2] revokedAt (ISO)  ARGV[3] reason  ARGV[4] actor
-- ARGV[5] audit payload for the revocation  ARGV[6] audit payload for a repeat, or "" to record nothing
-- Returns {1, seq} when revoked now, {0, "revoked"} if it already was, {0, "unknown"} if absent.
local cur = redis.call("HMGET", KEYS[1], "id", "status")
if not cur[1] or cur[1] ~= ARGV[1] then return {0, "unknown"} end
if cur[2] == "revoked" then
  if ARGV[6] ~= "" then audit_append(KEYS[2], KEYS[3], ARGV[6]) end
  return {0, "revoked"}
end
redis.call("HSET", KEYS[1], "status", "revoked", "revokedAt", ARGV[2], "revokeReason", ARGV[3], "revokedBy", ARGV[4])
return {1, audit_append(KEYS[2], KEYS[3], ARGV[5])}
