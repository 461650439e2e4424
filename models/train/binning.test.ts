import { describe, expect, it } from 'vitest';
import { binMatrix, binOf, binWithEdges, quantileEdges } from './binning';
import { Rng } from './random';

describe('quantile binning', () => {
  it('routes every float32 value exactly: x <= edges[b] iff bin(x) <= b', () => {
    const rng = new Rng(5);
    // Continuous values, heavy duplicates and neighbouring float32 values all at once.
    const values = Float32Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? Math.round(rng.normal() * 4) / 4 : i % 3 === 1 ? rng.normal() : 1 + i * 2 ** -23));
    const edges = quantileEdges(values, 32);
    expect(edges.length).toBeLessThanOrEqual(31);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1]);
    let mismatches = 0;
    for (const v of values) {
      const bin = binOf(edges, v);
      for (let b = 0; b < edges.length; b++) if (v <= edges[b] !== bin <= b) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('fills bins with roughly equal counts for continuous data', () => {
    const rng = new Rng(1);
    const values = Float32Array.from({ length: 64000 }, () => rng.normal());
    const edges = quantileEdges(values, 64);
    expect(edges.length).toBe(63);
    const counts = new Array<number>(64).fill(0);
    for (const v of values) counts[binOf(edges, v)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(50);
  });

  it('gives each of few distinct values its own bin and a constant column none', () => {
    expect([...quantileEdges(Float32Array.from([3, 1, 2, 1, 3]), 64)]).toEqual([1.5, 2.5]);
    expect(quantileEdges(Float32Array.from([7, 7, 7]), 64).length).toBe(0);
  });

  it('keeps the lower value as the edge when the float32 midpoint rounds up onto the upper one', () => {
    const lo = 1;
    const hi = Math.fround(1 + 2 ** -23);
    const [edge] = quantileEdges(Float32Array.from([lo, hi]), 8);
    expect(binOf(Float32Array.of(edge), lo)).toBe(0);
    expect(binOf(Float32Array.of(edge), hi)).toBe(1);
  });

  it('bins a matrix column-major and re-bins other data with the same edges', () => {
    const x = { data: Float32Array.from([1, 10, 2, 20, 3, 30]), rows: 3, cols: 2 };
    const b = binMatrix(x, 4);
    expect([...b.bins]).toEqual([0, 1, 2, 0, 1, 2]);
    const other = binWithEdges({ data: Float32Array.from([2.4, 100]), rows: 1, cols: 2 }, b.edges);
    expect([...other.bins]).toEqual([1, 2]);
    expect(() => quantileEdges(new Float32Array(4), 300)).toThrow(RangeError);
  });
});
