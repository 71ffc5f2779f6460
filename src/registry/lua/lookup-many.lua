-- lookup-many.lua: the records of many keys in one call (the revocation pipeline reads a batch
-- of findings' keys at once instead of one HGETALL each). Reads only.
-- KEYS: record keys. Returns one HGETALL reply per key (a flat field/value list, empty when absent).
local out = {}
for i, k in ipairs(KEYS) do out[i] = redis.call("HGETALL", k) end
return out
