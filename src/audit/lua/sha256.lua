-- sha256.lua: a library chunk, not a script. Prepended to every script that
-- appends to the audit chain, because Redis Lua only offers SHA-1.
-- Defines: local function sha256hex(msg) -> 64 lowercase hex characters.
-- Reads/writes no Redis keys. Written from FIPS 180-4; uses the LuaBitOp "bit" module.
local band, bor, bxor, bnot = bit.band, bit.bor, bit.bxor, bit.bnot
local rshift, ror, tobit, tohex = bit.rshift, bit.ror, bit.tobit, bit.tohex
local sha256_k = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

local function sha256_block(h, msg, pos, w)
  for i = 1, 16 do
    local b1, b2, b3, b4 = string.byte(msg, pos + (i - 1) * 4, pos + (i - 1) * 4 + 3)
    w[i] = tobit(b1 * 16777216 + b2 * 65536 + b3 * 256 + b4)
  end
  for i = 17, 64 do
    local v15, v2 = w[i - 15], w[i - 2]
    local s0 = bxor(ror(v15, 7), ror(v15, 18), rshift(v15, 3))
    local s1 = bxor(ror(v2, 17), ror(v2, 19), rshift(v2, 10))
    w[i] = tobit(w[i - 16] + s0 + w[i - 7] + s1)
  end
  local a, b, c, d, e, f, g, hh = h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
  for i = 1, 64 do
    local s1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
    local ch = bxor(band(e, f), band(bnot(e), g))
    local t1 = tobit(hh + s1 + ch + sha256_k[i] + w[i])
    local s0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
    local maj = bxor(band(a, b), band(a, c), band(b, c))
    local t2 = tobit(s0 + maj)
    hh, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + t2)
  end
  h[1], h[2], h[3], h[4] = tobit(h[1] + a), tobit(h[2] + b), tobit(h[3] + c), tobit(h[4] + d)
  h[5], h[6], h[7], h[8] = tobit(h[5] + e), tobit(h[6] + f), tobit(h[7] + g), tobit(h[8] + hh)
end

local function sha256hex(msg)
  local len = #msg
  local bits = len * 8
  -- Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit big-endian.
  local zeros = (55 - len) % 64
  local hi = math.floor(bits / 4294967296)
  local lo = bits % 4294967296
  local tail = string.char(
    math.floor(hi / 16777216) % 256, math.floor(hi / 65536) % 256, math.floor(hi / 256) % 256, hi % 256,
    math.floor(lo / 16777216) % 256, math.floor(lo / 65536) % 256, math.floor(lo / 256) % 256, lo % 256)
  msg = msg .. "\128" .. string.rep("\0", zeros) .. tail
  local h = {
    tobit(0x6a09e667), tobit(0xbb67ae85), tobit(0x3c6ef372), tobit(0xa54ff53a),
    tobit(0x510e527f), tobit(0x9b05688c), tobit(0x1f83d9ab), tobit(0x5be0cd19),
  }
  local w = {}
  for pos = 1, #msg, 64 do sha256_block(h, msg, pos, w) end
  local out = {}
  for i = 1, 8 do out[i] = tohex(h[i], 8) end
  return table.concat(out)
end
