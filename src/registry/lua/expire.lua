-- expire.lua: marks a key whose expiry (or rotation overlap) has passed as
-- "expired", with its audit entry, atomically; drops it from the end index.
-- KEYS[1] record  KEYS[2] end index  KEYS[3] audit log  KEYS[4] audit head
-- ARGV[1] now ms  ARGV[2] id  ARGV[3] audit entry (chained in node: lua/append.lua)
-- Returns 1 if it expired the key now, 0 otherwise (already final, or not due yet),
-- {-9, "audit-moved", seq, hash} (nothing written) when the audit chain's tip moved.
local now = tonumber(ARGV[1])
local cur = redis.call("HMGET", KEYS[1], "id", "status", "expiresMs", "graceEndsMs")
if not cur[1] or cur[2] ~= "active" then
  redis.call("ZREM", KEYS[2], ARGV[2])
  return 0
end
local ends = nil
if cur[3] and cur[3] ~= "" then ends = tonumber(cur[3]) end
if cur[4] and cur[4] ~= "" and (ends == nil or tonumber(cur[4]) < ends) then ends = tonumber(cur[4]) end
if ends == nil or now < ends then return 0 end
local moved = audit_moved(KEYS[4], ARGV[3])
if moved then return moved end
redis.call("HSET", KEYS[1], "status", "expired")
redis.call("ZREM", KEYS[2], ARGV[2])
audit_append(KEYS[3], KEYS[4], ARGV[3])
return 1
