-- verify-pair.lua: POST /v1/keys/verify in one round trip: the caller's own key first, then the
-- key it asks about, both with verify_key (verify-key.lua, prepended). When the caller's key is
-- not valid the second key is not looked at: its rate limit and usage stay untouched, as when
-- the two checks were separate calls. All four keys share the registry's slot on a Cluster ({ns}).
-- KEYS[1], KEYS[2] the caller key's record and rate-limit state
-- KEYS[3], KEYS[4] the asked-about key's record and rate-limit state
-- ARGV[1] now ms
-- ARGV[2], ARGV[3] the caller key's requested scopes and source IP bits
-- ARGV[4], ARGV[5] the asked-about key's requested scopes and source IP bits
-- Returns {caller reply} when the caller's key is not valid, else {caller reply, key reply}.
local now = tonumber(ARGV[1])
local caller = verify_key(KEYS[1], KEYS[2], now, ARGV[2], ARGV[3])
if caller[1] ~= "ok" then return {caller} end
return {caller, verify_key(KEYS[3], KEYS[4], now, ARGV[4], ARGV[5])}
