/**
 * Seeded randomness for training. Every draw a learner makes comes from a {@link Rng} built from the run's seed,
 * so the same data and seed give bit-identical trees and weights on every machine and in every worker.
 */

/** Mixes a seed and an index into a new 32-bit seed (splitmix32 finaliser), so tree `i` or fold `f` gets its own
 * independent stream whatever order or thread it is built in. */
export function deriveSeed(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}

/** Small fast PRNG (sfc32) with the few draws the learners need. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spareNormal: number | null = null;

  /** @param seed any integer; equal seeds give equal streams. */
  constructor(seed: number) {
    const s = seed >>> 0;
    this.a = deriveSeed(s, 0);
    this.b = deriveSeed(s, 1);
    this.c = deriveSeed(s, 2);
    // Warm up so nearby seeds diverge before the first draw.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** Uniform integer in [0, 2^32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Fisher–Yates shuffle in place; returns its argument. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
