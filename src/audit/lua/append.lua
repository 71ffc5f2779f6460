-- append.lua: a library chunk, not a script (prepended after sha256.lua).
-- Defines: local function audit_append(log_key, head_key, payload) -> seq
--   log_key  (list)  RPUSH one entry: {"seq":N,"prevHash":P,"hash":H,<payload fields>}
--   head_key (hash)  fields seq, hash: the chain's tip, so a dropped tail is detectable
--   payload  JSON object text built by src/audit/entry.ts (id, ts, action, actor, keyId, hint, details)
-- hash = sha256hex(prevHash .. "\n" .. seq .. "\n" .. payload); the first prevHash is 64 zeros.
local function audit_append(log_key, head_key, payload)
  local head = redis.call("HMGET", head_key, "seq", "hash")
  local seq = tonumber(head[1] or "0") + 1
  local prev = head[2] or string.rep("0", 64)
  local seqtext = string.format("%d", seq)
  local hash = sha256hex(prev .. "\n" .. seqtext .. "\n" .. payload)
  local entry = '{"seq":' .. seqtext .. ',"prevHash":"' .. prev .. '","hash":"' .. hash .. '",' .. string.sub(payload, 2)
  redis.call("RPUSH", log_key, entry)
  redis.call("HSET", head_key, "seq", seqtext, "hash", hash)
  return seq
end
