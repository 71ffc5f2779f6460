-- verify-key.lua: the verify check of one key, as a function other scripts call (verify.lua,
-- verify-pair.lua). Checks status, expiry, rotation overlap, scopes and source IP, then the
-- per-key rate limit (GCRA). Denials never use up the rate. Uses and denials are counted by the
-- caller in memory and added in batches (usage.lua), so a key without a rate limit costs no write.
-- verify_key(record_key, rl_key, now_ms, scopes, ip_bits)
--   record_key  the record hash {ns}:key:{<keyHash>}
--   rl_key      its rate-limit state "<base ms> <used>" {ns}:key:{<keyHash>}:rl (same slot)
--   scopes      requested scopes, space-separated ("" = none asked)
--   ip_bits     source IP as "<4|6>:<address bits>" ("" = not given; fails a key with CIDRs)
-- Returns {reason, id, env, owner JSON, scopes JSON, limit, remaining, reset ms}
--   reason "ok" | "unknown" | "revoked" | "expired" | "rotated" | "scope" | "ip" | "rate_limited";
--   limit = -1 when the key has no rate limit. Fewer elements for "unknown" and other denials.
local function num(v)
  if v and v ~= "" then return tonumber(v) end
  return nil
end
local function verify_key(record_key, rl_key, now, scopes, ip_bits)
  local r = redis.call("HMGET", record_key, "id", "status", "expiresMs", "graceEndsMs", "scopeset", "cidrbits",
    "rlLimit", "rlWindowMs", "env", "owner", "scopes")
  if not r[1] then return {"unknown"} end
  local function deny(why, limit, reset)
    return {why, r[1], r[9], r[10], r[11], limit or -1, 0, reset or 0}
  end
  if r[2] == "revoked" then return deny("revoked") end
  local expires, grace = num(r[3]), num(r[4])
  -- A rotated key whose overlap ended says "rotated", also after the sweep stored it as expired,
  -- unless its own expiry came first.
  if grace and now >= grace and (not expires or grace <= expires) then return deny("rotated") end
  if r[2] == "expired" or (expires and now >= expires) then return deny("expired") end
  if scopes ~= "" then
    for s in string.gmatch(scopes, "%S+") do
      if not string.find(r[5] or "", " " .. s .. " ", 1, true) then return deny("scope") end
    end
  end
  if r[6] and r[6] ~= "" then
    local ip, allowed = ip_bits, false
    if ip ~= "" then
      for prefix in string.gmatch(r[6], "%S+") do
        if string.sub(ip, 1, #prefix) == prefix then
          allowed = true
          break
        end
      end
    end
    if not allowed then return deny("ip") end
  end
  local limit, remaining, reset = -1, -1, 0
  local rl = num(r[7])
  if rl then
    -- GCRA in whole numbers. The bucket's theoretical arrival time is TAT = base + used * window / rl;
    -- every quantity below is that time scaled by rl, so it stays an exact integer (the registry keeps
    -- rl * window <= 2^53). A float TAT loses a fraction of a millisecond on each use, which was enough
    -- to refuse the last request of a burst that should have fitted.
    local window = math.max(1, math.floor(num(r[8]) + 0.5))
    local full = window * rl
    local base, used = now, 0
    local state = redis.call("GET", rl_key)
    if state then
      local b, u = string.match(state, "^(%d+) (%d+)$")
      if b then
        base, used = tonumber(b), tonumber(u)
      else
        -- state written by an older version: a float TAT in ms
        local tat = tonumber(state)
        if tat and tat > now then used = math.ceil((tat - now) * rl / window) end
      end
    end
    local ahead = (base - now) * rl + used * window
    if ahead <= 0 then
      base, used, ahead = now, 0, 0
    end
    local after = ahead + window
    if after > full then return deny("rate_limited", rl, math.ceil((after - full) / rl)) end
    used = used + 1
    local whole = math.floor(used / rl)
    base, used = base + whole * window, used - whole * rl
    -- The TTL only collects idle state (state past its time reads as an empty bucket anyway), so it
    -- gets a minute of slack: Redis expires in real time, and a caller whose clock is not Redis'
    -- (a paused test clock, skew between servers) must not see a bucket vanish mid-burst.
    redis.call("SET", rl_key, string.format("%d %d", base, used), "PX", math.ceil(after / rl) + 60000)
    limit = rl
    remaining = math.floor((full - after) / window)
    reset = math.ceil(after / rl)
  end
  return {"ok", r[1], r[9], r[10], r[11], limit, remaining, reset}
end
