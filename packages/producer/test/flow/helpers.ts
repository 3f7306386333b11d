// Test helpers for flow control: a hand-driven clock and a seeded PRNG.

/** A clock the test moves by hand: `now()` reads it, `advance(ms)` moves it forward. */
export function fakeClock(startMs = 0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

/** mulberry32: a small seeded PRNG, so every run is identical. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
