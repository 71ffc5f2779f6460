-- usage.lua: adds a batch of verify outcomes to one key's counters (flushed by
-- src/registry/usage-batch.ts at least every second, so verify itself writes no counters).
-- KEYS[1] record hash {ns}:key:{<keyHash>}
-- ARGV[1] uses to add  ARGV[2] denials to add  ARGV[3] last use in ms ("" = none in this batch)
-- Returns 1, or 0 when the record is gone (nothing is created for it).
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= "0" then redis.call("HINCRBY", KEYS[1], "usageCount", ARGV[1]) end
if ARGV[2] ~= "0" then redis.call("HINCRBY", KEYS[1], "deniedCount", ARGV[2]) end
if ARGV[3] ~= "" then
  local last = tonumber(redis.call("HGET", KEYS[1], "lastUsedMs") or "")
  -- Batches from several processes may arrive out of order: the time only moves forward.
  if not last or last < tonumber(ARGV[3]) then redis.call("HSET", KEYS[1], "lastUsedMs", ARGV[3]) end
end
return 1
