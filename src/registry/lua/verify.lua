-- verify.lua: the hot path, one round trip. Checks status, expiry, rotation
-- overlap, scopes and source IP, then the per-key rate limit (GCRA), and counts
-- the use. Denials of a known key bump deniedCount; they never use up the rate.
-- KEYS[1] record hash {ns}:key:{<keyHash>}   KEYS[2] rate-limit TAT {ns}:key:{<keyHash>}:rl (same slot)
-- ARGV[1] now ms
-- ARGV[2] requested scopes, space-separated ("" = none asked)
-- ARGV[3] source IP as "<4|6>:<address bits>" ("" = not given; fails a key with CIDRs)
-- Returns {reason, id, env, owner JSON, scopes JSON, limit, remaining, reset ms}
--   reason "ok" | "unknown" | "revoked" | "expired" | "rotated" | "scope" | "ip" | "rate_limited";
--   limit = -1 when the key has no rate limit. Fewer elements for "unknown" and other denials.
local function num(v)
  if v and v ~= "" then return tonumber(v) end
  return nil
end
local now = tonumber(ARGV[1])
local r = redis.call("HMGET", KEYS[1], "id", "status", "expiresMs", "graceEndsMs", "scopeset", "cidrbits",
  "rlLimit", "rlWindowMs", "env", "owner", "scopes")
if not r[1] then return {"unknown"} end
local function deny(why, limit, reset)
  redis.call("HINCRBY", KEYS[1], "deniedCount", 1)
  return {why, r[1], r[9], r[10], r[11], limit or -1, 0, reset or 0}
end
if r[2] == "revoked" then return deny("revoked") end
local expires, grace = num(r[3]), num(r[4])
-- A rotated key whose overlap ended says "rotated", also after the sweep stored it as expired,
-- unless its own expiry came first.
if grace and now >= grace and (not expires or grace <= expires) then return deny("rotated") end
if r[2] == "expired" or (expires and now >= expires) then return deny("expired") end
if ARGV[2] ~= "" then
  for s in string.gmatch(ARGV[2], "%S+") do
    if not string.find(r[5] or "", " " .. s .. " ", 1, true) then return deny("scope") end
  end
end
if r[6] and r[6] ~= "" then
  local ip, allowed = ARGV[3], false
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
  -- GCRA: the bucket is full when TAT <= now; each use pushes TAT by window/limit.
  local window = num(r[8])
  local interval = window / rl
  local tat = num(redis.call("GET", KEYS[2])) or now
  if tat < now then tat = now end
  local newtat = tat + interval
  local allow_at = newtat - window
  if now < allow_at then return deny("rate_limited", rl, math.ceil(allow_at - now)) end
  redis.call("SET", KEYS[2], string.format("%.17g", newtat), "PX", math.max(1, math.ceil(newtat - now)))
  limit = rl
  remaining = math.floor((window - (newtat - now)) / interval + 1e-9)
  reset = math.ceil(newtat - now)
end
redis.call("HINCRBY", KEYS[1], "usageCount", 1)
redis.call("HSET", KEYS[1], "lastUsedMs", ARGV[1])
return {"ok", r[1], r[9], r[10], r[11], limit, remaining, reset}
