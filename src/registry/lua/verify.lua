-- verify.lua: the hot path, one round trip: verify_key (verify-key.lua, prepended) for one key.
-- KEYS[1] record hash {ns}:key:{<keyHash>}   KEYS[2] its rate-limit state (same slot)
-- ARGV[1] now ms   ARGV[2] requested scopes ("" = none)   ARGV[3] source IP bits ("" = not given)
-- Returns verify_key's reply.
return verify_key(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2], ARGV[3])
