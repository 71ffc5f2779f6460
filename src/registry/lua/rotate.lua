-- rotate.lua: issues the successor of an active key and opens the overlap window
-- on the old one, with one audit entry, atomically. Two racing rotations (or a
-- rotation racing a revocation) cannot both win: the loser sees the new state.
-- KEYS[1] old record  KEYS[2] new record  KEYS[3] new id -> keyHash
-- KEYS[4] created index  KEYS[5] owner index  KEYS[6] end index  KEYS[7] admin index
-- KEYS[8] audit log  KEYS[9] audit head
-- ARGV[1] now ms  ARGV[2] old id  ARGV[3] new id  ARGV[4] new keyHash  ARGV[5] new index member
-- ARGV[6] new end ms or ""  ARGV[7] "1" if admin  ARGV[8] graceEndsMs  ARGV[9] graceEndsAt (ISO)
-- ARGV[10] old key's new end ms (min of its expiry and the grace end)  ARGV[11] audit entry
-- ARGV[12..] new record field/value pairs
-- Returns {1, seq}, or {0, why} with why = "unknown" | "revoked" | "expired" | "rotated" | "exists",
-- or {-9, "audit-moved", seq, hash} (nothing written) when the audit chain's tip moved.
local now = tonumber(ARGV[1])
local old = redis.call("HMGET", KEYS[1], "id", "status", "expiresMs", "rotatedTo")
if not old[1] or old[1] ~= ARGV[2] then return {0, "unknown"} end
if old[2] == "revoked" then return {0, "revoked"} end
if old[2] == "expired" or (old[3] and old[3] ~= "" and now >= tonumber(old[3])) then return {0, "expired"} end
if old[4] and old[4] ~= "" then return {0, "rotated"} end
if redis.call("EXISTS", KEYS[2]) == 1 or redis.call("EXISTS", KEYS[3]) == 1 then return {0, "exists"} end
local moved = audit_moved(KEYS[9], ARGV[11])
if moved then return moved end
redis.call("HSET", KEYS[1], "rotatedTo", ARGV[3], "graceEndsMs", ARGV[8], "graceEndsAt", ARGV[9])
redis.call("ZADD", KEYS[6], ARGV[10], ARGV[2])
redis.call("HSET", KEYS[2], unpack(ARGV, 12))
redis.call("SET", KEYS[3], ARGV[4])
redis.call("ZADD", KEYS[4], 0, ARGV[5])
redis.call("ZADD", KEYS[5], 0, ARGV[5])
if ARGV[6] ~= "" then redis.call("ZADD", KEYS[6], ARGV[6], ARGV[3]) end
if ARGV[7] == "1" then redis.call("SADD", KEYS[7], ARGV[3]) end
return {1, audit_append(KEYS[8], KEYS[9], ARGV[11])}
