-- idem-begin.lua: wraps create/rotate/revoke (with idem-end.lua) so that the idempotency
-- record and the change it records are written in ONE script: a crash, a kill or a lost
-- reply leaves either both or neither. It takes its own key and arguments off the front of
-- KEYS and ARGV, leaving the wrapped script's KEYS/ARGV as that script documents them.
-- KEYS[1] idempotency record (hash: fp, plan, outcome; expires after ARGV[3] seconds)
-- ARGV[1] request fingerprint  ARGV[2] plan JSON (new key id and its sealed plaintext)  ARGV[3] TTL seconds
-- Returns {-1, "conflict"} when the record holds another fingerprint; {-2, plan, outcome JSON}
-- when it holds this one (the first attempt's outcome; nothing runs); otherwise what the
-- wrapped script returns, which idem-end.lua stores as the outcome.
local idem_key = table.remove(KEYS, 1)
local idem_fp = table.remove(ARGV, 1)
local idem_plan = table.remove(ARGV, 1)
local idem_ttl = table.remove(ARGV, 1)
local idem_seen = redis.call("HMGET", idem_key, "fp", "plan", "outcome")
if idem_seen[1] then
  if idem_seen[1] ~= idem_fp then return {-1, "conflict"} end
  return {-2, idem_seen[2], idem_seen[3]}
end
local function idem_effect()
