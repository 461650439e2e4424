import { describe, expect, it } from 'vitest';
import { CLASS_NODATA } from '../contract/classes';
import { GeoCropError } from '../contract/errors';
import { DEFAULT_MAJORITY_KERNEL, majorityFilter } from './majority-filter';

/** Deterministic pseudo-random numbers in [0, 1) (LCG) so failures reproduce from the seed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Independent reference: counts every window from scratch and applies the documented rules literally, with none
 * of the implementation's tricks (dense codes, sliding histograms, level bitsets).
 */
function reference(src: Uint8Array, w: number, h: number, k: number, nodata = CLASS_NODATA): Uint8Array {
  const r = (k - 1) / 2;
  const out = new Uint8Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const own = src[y * w + x];
      if (own === nodata) { out[y * w + x] = nodata; continue; }
      const votes = new Map<number, number>();
      for (let yy = y - r; yy <= y + r; yy++) {
        for (let xx = x - r; xx <= x + r; xx++) {
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          const v = src[yy * w + xx];
          if (v !== nodata) votes.set(v, (votes.get(v) ?? 0) + 1);
        }
      }
      const top = Math.max(...votes.values());
      const leaders = [...votes].filter(([, n]) => n === top).map(([v]) => v);
      out[y * w + x] = leaders.includes(own) ? own : Math.min(...leaders);
    }
  }
  return out;
}

/** Parses a small hand-written grid ("1 2 ." with "." = 255) into [array, width, height]. */
function grid(text: string): [Uint8Array, number, number] {
  const rows = text.trim().split('\n').map((line) => line.trim().split(/\s+/).map((t) => (t === '.' ? 255 : Number(t))));
  return [Uint8Array.from(rows.flat()), rows[0].length, rows.length];
}

type MapKind = 'noise' | 'fields';

/**
 * A random class map: pure noise (many ties) or blocky "fields" with noise on top (the realistic case), with a
 * fraction of nodata pixels, optionally as a disc like an AOI circle clipped to its bounding box.
 */
function randomMap(rand: () => number, w: number, h: number, classes: number[], nodataFrac: number, kind: MapKind, nodata: number): Uint8Array {
  const pick = () => classes[Math.floor(rand() * classes.length)];
  const block = 1 + Math.floor(rand() * 6);
  const fieldOf = new Map<string, number>();
  const a = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v: number;
      if (kind === 'noise' || rand() < 0.2) v = pick();
      else {
        const key = `${Math.floor(x / block)},${Math.floor(y / block)}`;
        if (!fieldOf.has(key)) fieldOf.set(key, pick());
        v = fieldOf.get(key)!;
      }
      a[y * w + x] = rand() < nodataFrac ? nodata : v;
    }
  }
  return a;
}

describe('majorityFilter matches a brute-force reference', () => {
  const sizes: [number, number][] = [
    [1, 1], [1, 2], [2, 1], [1, 40], [40, 1], [1, 7], [7, 1], [2, 2], [3, 3], [4, 6], [6, 4], [5, 5], [7, 7], [8, 3],
    [3, 9], [13, 17], [31, 29], [64, 48],
  ];
  // Few classes take the column-histogram sweep, many the per-pixel one (threshold 2·kernel): cover both per kernel.
  const classSets = [[0], [4], [1, 2], [0, 3, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], Array.from({ length: 40 }, (_, i) => i * 6), Array.from({ length: 255 }, (_, i) => i)];
  const nodataFracs = [0, 0.3, 0.8, 1];

  for (const k of [3, 5, 7] as const) {
    it(`kernel ${k}: byte-identical on many random maps`, () => {
      const rand = lcg(1000 + k);
      let cases = 0;
      for (const [w, h] of sizes) {
        for (const classes of classSets) {
          for (const frac of nodataFracs) {
            const kind: MapKind = rand() < 0.5 ? 'noise' : 'fields';
            const src = randomMap(rand, w, h, classes, frac, kind, CLASS_NODATA);
            const before = src.slice();
            const got = majorityFilter(src, w, h, { kernel: k });
            expect(got, `${w}×${h}, ${classes.length} classes, nodata ${frac}, ${kind}`).toEqual(reference(src, w, h, k));
            expect(src).toEqual(before);
            expect(got).not.toBe(src);
            cases++;
          }
        }
      }
      expect(cases).toBe(sizes.length * classSets.length * nodataFracs.length);
    });

    it(`kernel ${k}: byte-identical with a custom nodata value (0), where 255 is an ordinary class`, () => {
      const rand = lcg(77 + k);
      for (const [w, h] of [[1, 25], [25, 1], [19, 23], [50, 40]] as const) {
        for (const classes of [[0, 254, 255], [0, 1, 2, 255], Array.from({ length: 30 }, (_, i) => 255 - i * 3)]) {
          const src = randomMap(rand, w, h, classes, 0.25, 'fields', 0);
          expect(majorityFilter(src, w, h, { kernel: k, nodata: 0 })).toEqual(reference(src, w, h, k, 0));
        }
      }
    });
  }

  it('uses kernel 5 and nodata 255 by default', () => {
    const rand = lcg(5);
    const src = randomMap(rand, 37, 41, [1, 2, 3, 4], 0.2, 'noise', 255);
    expect(DEFAULT_MAJORITY_KERNEL).toBe(5);
    const got = majorityFilter(src, 37, 41);
    expect(got).toEqual(reference(src, 37, 41, 5, 255));
    expect(got).not.toEqual(reference(src, 37, 41, 3, 255));
  });
});

describe('majorityFilter rules, hand-checked', () => {
  it('keeps the own class when it ties for the lead', () => {
    // Every window below is a tie between the rows it spans, and each pixel's own row is always among them.
    const [src, w, h] = grid(`
      1 1 1
      2 2 2
      0 0 0`);
    expect(majorityFilter(src, w, h, { kernel: 3 })).toEqual(src);
  });

  it('otherwise picks the lowest class code among the tied leaders', () => {
    // Centre (own 8, one vote) sees 6 and 3 tied at four votes each: 3 wins.
    const [src, w, h] = grid(`
      6 6 3
      6 8 3
      6 3 3`);
    const [want] = grid(`
      6 6 3
      6 3 3
      6 3 3`);
    expect(majorityFilter(src, w, h, { kernel: 3 })).toEqual(want);
  });

  it('the lowest code among the leaders, not among all classes present', () => {
    // Centre is 1 (the lowest code present) but only has one vote; 200 and 100 tie at four: 100 wins.
    const [src, w, h] = grid(`
      200 200 100
      200  1  100
      200 100 100`);
    expect(majorityFilter(src, w, h, { kernel: 3 })[4]).toBe(100);
  });

  it('nodata never votes and stays nodata', () => {
    // Centre 2 sees 1, 1 and itself: 1 wins. Were nodata a voter, 255 (six votes) would.
    const [src, w, h] = grid(`
      1 1 .
      . 2 .
      . . .`);
    const [want] = grid(`
      1 1 .
      . 1 .
      . . .`);
    expect(majorityFilter(src, w, h, { kernel: 3 })).toEqual(want);
  });

  it('a lone valid pixel among nodata keeps its class', () => {
    const [src, w, h] = grid(`
      . . . . .
      . . . . .
      . . 4 . .
      . . . . .
      . . . . .`);
    for (const kernel of [3, 5, 7] as const) expect(majorityFilter(src, w, h, { kernel })).toEqual(src);
  });

  it('an all-nodata raster comes back unchanged (and as a copy)', () => {
    const src = new Uint8Array(12).fill(255);
    const got = majorityFilter(src, 4, 3, { kernel: 7 });
    expect(got).toEqual(src);
    expect(got).not.toBe(src);
  });

  it('clips the window at the edges instead of padding', () => {
    // Corner (0,0) with k=3 sees only its 2×2 block: three 5s beat one 7 — with a 5×5 kernel the 7s would win.
    const [src, w, h] = grid(`
      7 5 7 7 7
      5 5 7 7 7
      7 7 7 7 7`);
    expect(majorityFilter(src, w, h, { kernel: 3 })[0]).toBe(5);
    expect(majorityFilter(src, w, h, { kernel: 5 })[0]).toBe(7);
  });
});

describe('majorityFilter on salt-and-pepper noise', () => {
  it('kernel 5 removes isolated pixels and leaves four fields untouched', () => {
    const w = 40, h = 40;
    const clean = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) clean[y * w + x] = 1 + (x < 20 ? 0 : 1) + (y < 18 ? 0 : 2);
    const noisy = clean.slice();
    const rand = lcg(9);
    let flipped = 0;
    // One stray pixel per 6×6 cell, jittered by at most one pixel so no 5×5 window holds two of them; strays use
    // classes no field has, so each has a single vote against at least 8 for the field around it.
    for (let cy = 0; cy < h; cy += 6) {
      for (let cx = 0; cx < w; cx += 6) {
        const x = cx + Math.floor(rand() * 2), y = cy + Math.floor(rand() * 2);
        noisy[y * w + x] = 5 + Math.floor(rand() * 4);
        flipped++;
      }
    }
    expect(flipped).toBeGreaterThan(40);
    expect(majorityFilter(clean, w, h, { kernel: 5 })).toEqual(clean);
    expect(majorityFilter(noisy, w, h, { kernel: 5 })).toEqual(clean);
  });
});

describe('majorityFilter progress and abort', () => {
  const w = 300, h = 800;
  const src = randomMap(lcg(3), w, h, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.1, 'fields', 255);

  it('reports increasing fractions ending at exactly 1', () => {
    const seen: number[] = [];
    majorityFilter(src, w, h, { kernel: 3, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(10);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(1);
  });

  it('throws AbortError before any work when the signal has already fired', () => {
    const ctl = new AbortController();
    ctl.abort();
    let progressed = false;
    expect(() => majorityFilter(src, w, h, { onProgress: () => (progressed = true) }, ctl.signal)).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(progressed).toBe(false);
  });

  for (const classes of [4, 200]) {
    it(`stops part-way when the signal fires mid-run (${classes} classes)`, () => {
      const many = randomMap(lcg(4), w, h, Array.from({ length: classes }, (_, i) => i), 0, 'noise', 255);
      const ctl = new AbortController();
      const seen: number[] = [];
      const run = () => majorityFilter(many, w, h, { kernel: 5, onProgress: (f) => { seen.push(f); if (f >= 0.1) ctl.abort(); } }, ctl.signal);
      expect(run).toThrow(expect.objectContaining({ name: 'AbortError' }));
      expect(seen.at(-1)).toBeLessThan(0.5);
    });
  }
});

describe('majorityFilter validation', () => {
  const src = new Uint8Array(6);

  function codeOf(fn: () => unknown): string | undefined {
    try { fn(); } catch (e) { return e instanceof GeoCropError ? `${e.code}: ${e.message}` : String(e); }
    return undefined;
  }

  it('rejects kernels other than 3, 5 and 7 with INVALID_KERNEL', () => {
    for (const kernel of [1, 4, 9, 0, 5.5, Number.NaN]) {
      expect(codeOf(() => majorityFilter(src, 3, 2, { kernel: kernel as 3 }))).toMatch(/^INVALID_KERNEL: .*3, 5, 7/);
    }
    expect(codeOf(() => majorityFilter(src, 3, 2, { kernel: '5' as unknown as 5 }))).toMatch(/^INVALID_KERNEL/);
  });

  it('rejects a size that does not match the array with INVALID_RASTER', () => {
    expect(codeOf(() => majorityFilter(src, 2, 2))).toMatch(/^INVALID_RASTER: .*6 pixels.*2 × 2 = 4/);
    expect(codeOf(() => majorityFilter(src, 0, 6))).toMatch(/^INVALID_RASTER: .*≥ 1/);
    expect(codeOf(() => majorityFilter(src, 1.5, 4))).toMatch(/^INVALID_RASTER/);
    expect(codeOf(() => majorityFilter(new Uint8Array(0), 0, 0))).toMatch(/^INVALID_RASTER/);
  });

  it('rejects arrays other than Uint8Array and nodata outside 0–255', () => {
    expect(codeOf(() => majorityFilter(new Uint16Array(6) as unknown as Uint8Array, 3, 2))).toMatch(/^INVALID_RASTER: .*uint8/);
    for (const nodata of [-1, 256, 2.5]) expect(codeOf(() => majorityFilter(src, 3, 2, { nodata }))).toMatch(/^INVALID_RASTER: Nodata/);
  });

  it('accepts every valid combination without complaint', () => {
    for (const kernel of [3, 5, 7] as const) expect(codeOf(() => majorityFilter(src, 3, 2, { kernel, nodata: 0 }))).toBeUndefined();
  });
});
