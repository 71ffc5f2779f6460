-- idem-end.lua: closes the function idem-begin.lua opened around the wrapped script, runs
-- it, and stores its outcome (refusals too: a retry gets the same answer) with the plan.
end
local idem_outcome = idem_effect()
-- The audit chain's tip moved: nothing ran, node retries; nothing to store.
if idem_outcome[1] == -9 then return idem_outcome end
redis.call("HSET", idem_key, "fp", idem_fp, "plan", idem_plan, "outcome", cjson.encode(idem_outcome))
redis.call("EXPIRE", idem_key, idem_ttl)
return idem_outcome
