// The seeded PRNG of the tests that draw "random" cases and of the bench's generator: the
// same seed gives the same sequence on every run. It lives with the tests, in a module of
// its own: a test loads nothing else with it, and tests never import from bench/ (the
// bench imports it from here).

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
