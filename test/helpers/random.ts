/** Seeded test data: a small PRNG and value generators that include IEEE special values. */

/** mulberry32: a tiny, well-mixed 32-bit PRNG, so failures reproduce from their seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 1e-310, -5e-324, 1e-40, 3.4e38, -3.4e38, 1e300];

/** `n` values: mostly ordinary magnitudes, about one in ten an IEEE special or subnormal. */
export function randomValues(n: number, seed: number): number[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => {
    const r = next();
    if (r < 0.1) return SPECIALS[Math.floor(next() * SPECIALS.length)]!;
    return (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6);
  });
}
