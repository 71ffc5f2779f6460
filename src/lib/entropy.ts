/** Shannon entropy in bits per character: how random a string looks (random base62 ≈ 5.2, hex ≈ 3.7-4). */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  const n = text.length;
  for (const c of counts.values()) {
    const p = c / n;
    bits -= p * Math.log2(p);
  }
  return Math.round(bits * 100) / 100;
}
