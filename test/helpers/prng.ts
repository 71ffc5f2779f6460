/** A small deterministic PRNG for tests that draw random inputs, so a failure can be replayed from its seed. */
export function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}
