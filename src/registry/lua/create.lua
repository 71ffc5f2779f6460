-- create.lua: registers a new key record and its audit entry in one atomic step.
-- KEYS[1] record hash  {ns}:key:{<keyHash>}        (must not exist)
-- KEYS[2] id -> keyHash string                      (must not exist)
-- KEYS[3] created index (zset, lex members "<createdMs 15 digits>:<id>:<keyHash>")
-- KEYS[4] owner index   (zset, same members)
-- KEYS[5] end index     (zset, score = ms when the key stops verifying, member = id)
-- KEYS[6] admin index   (set of ids created with every admin scope)
-- KEYS[7] audit log (list)    KEYS[8] audit head (hash)
-- ARGV[1] id  ARGV[2] keyHash  ARGV[3] index member  ARGV[4] end ms or ""  ARGV[5] "1" if admin
-- ARGV[6] audit entry (chained in node: lua/append.lua)  ARGV[7..] record field/value pairs
-- Returns {1, seq} on success, {0, "exists"} if the id or key is already registered,
-- {-9, "audit-moved", seq, hash} (nothing written) when the audit chain's tip moved.
if redis.call("EXISTS", KEYS[1]) == 1 or redis.call("EXISTS", KEYS[2]) == 1 then
  return {0, "exists"}
end
local moved = audit_moved(KEYS[8], ARGV[6])
if moved then return moved end
redis.call("HSET", KEYS[1], unpack(ARGV, 7))
redis.call("SET", KEYS[2], ARGV[2])
redis.call("ZADD", KEYS[3], 0, ARGV[3])
redis.call("ZADD", KEYS[4], 0, ARGV[3])
if ARGV[4] ~= "" then redis.call("ZADD", KEYS[5], ARGV[4], ARGV[1]) end
if ARGV[5] == "1" then redis.call("SADD", KEYS[6], ARGV[1]) end
return {1, audit_append(KEYS[7], KEYS[8], ARGV[6])}
