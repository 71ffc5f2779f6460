-- append.lua: a library chunk, not a script (prepended to the scripts that write an audit entry).
-- The entry arrives finished: node chained it onto the tip it last knew (src/audit/chain-tip.ts),
--   {"seq":N,"prevHash":P,"hash":H,<payload fields>}  with H = SHA-256 of P \n N \n <payload>,
-- so Redis hashes nothing; the script only checks that the tip is still (N-1, P) and moves it.
--   audit_moved(head_key, entry) -> nil when the entry chains onto the tip, else
--     {-9, "audit-moved", seq, hash} of the tip as it is. Call it before the script's first write
--     and return its answer: node chains the entry onto that tip and runs the script again.
--   audit_append(log_key, head_key, entry) -> seq  RPUSH the entry, HSET the head (seq, hash).
local function audit_link(entry)
  return string.match(entry, '^{"seq":(%d+),"prevHash":"(%x+)","hash":"(%x+)",')
end

local function audit_moved(head_key, entry)
  local head = redis.call("HMGET", head_key, "seq", "hash")
  local tip_seq = head[1] or "0"
  local tip_hash = head[2] or string.rep("0", 64)
  local seq, prev = audit_link(entry)
  if seq and tonumber(seq) == tonumber(tip_seq) + 1 and prev == tip_hash then return nil end
  return {-9, "audit-moved", tip_seq, tip_hash}
end

local function audit_append(log_key, head_key, entry)
  local seq, _, hash = audit_link(entry)
  redis.call("RPUSH", log_key, entry)
  redis.call("HSET", head_key, "seq", seq, "hash", hash)
  return tonumber(seq)
end
