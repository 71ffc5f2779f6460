/**
 * Marvin32, the seeded 32-bit hash Microsoft uses as the checksum of its identifiable keys
 * (Azure storage, Cosmos DB, Service Bus…, and the 84-character "common annotated" keys of Azure DevOps,
 * Azure AI services and others). Written from the algorithm's description; pure.
 */

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** Returns the 32-bit hash (p1 ^ p0) of `data` under a 64-bit seed, as an unsigned number. */
export function marvin32(data: Uint8Array, seed: bigint): number {
  let p0 = Number(seed & 0xffffffffn) >>> 0;
  let p1 = Number((seed >> 32n) & 0xffffffffn) >>> 0;
  const block = (): void => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  const whole = data.length - (data.length % 4);
  for (let i = 0; i < whole; i += 4) {
    p0 = (p0 + ((data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0)) >>> 0;
    block();
  }
  // The tail: the remaining 0-3 bytes, little-endian, followed by a 0x80 byte.
  let last = 0x80;
  for (let i = data.length - 1; i >= whole; i--) last = ((last << 8) | data[i]!) >>> 0;
  p0 = (p0 + last) >>> 0;
  block();
  block();
  return (p1 ^ p0) >>> 0;
}
