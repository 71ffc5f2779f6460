-- lookup-many.lua: some fields of many keys' records in one call (the revocation pipeline reads
-- a batch of findings' keys at once instead of one read each). Reads only.
-- KEYS: record keys. ARGV: the field names. Returns one HMGET reply per key (nil for a missing field).
local out = {}
for i, k in ipairs(KEYS) do out[i] = redis.call("HMGET", k, unpack(ARGV)) end
return out
