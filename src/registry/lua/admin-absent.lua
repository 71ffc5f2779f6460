-- admin-absent.lua: a prelude to create.lua for `keys create --bootstrap-admin`. It refuses
-- when an active admin key exists, so the check and the creation are one atomic step and
-- concurrent bootstraps make exactly one admin. It takes its own argument off the front of
-- ARGV, leaving create.lua's ARGV as create.lua documents it.
-- ARGV[1] now ms (then create.lua's ARGV)   KEYS as create.lua (KEYS[6] the admin index)
-- Reads the id -> hash and record keys of every id in the admin index (derived from the
-- namespace of KEYS[6]: single Redis node only, like every state-changing script).
-- Returns {0, "admin_exists"} when an active admin key exists; otherwise falls through to create.lua.
local bootstrap_now = tonumber(table.remove(ARGV, 1))
local ns = string.gsub(KEYS[6], ":idx:admin$", "")
for _, admin_id in ipairs(redis.call("SMEMBERS", KEYS[6])) do
  local hash = redis.call("GET", ns .. ":id:" .. admin_id)
  if hash then
    local a = redis.call("HMGET", ns .. ":key:{" .. hash .. "}", "status", "expiresMs", "graceEndsMs")
    local live = a[1] == "active"
    if live and a[2] and a[2] ~= "" and bootstrap_now >= tonumber(a[2]) then live = false end
    if live and a[3] and a[3] ~= "" and bootstrap_now >= tonumber(a[3]) then live = false end
    if live then return {0, "admin_exists"} end
  end
end
