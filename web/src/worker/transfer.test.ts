import { describe, expect, it } from 'vitest';
import { transferablesOf } from './transfer';

describe('transferablesOf', () => {
  it('lists each buffer once, however many views share it, through nested objects and arrays', () => {
    const stack = new Float32Array(12);
    const plane = stack.subarray(4, 8);
    const refined = new Uint8Array(5);
    const files = { 'refined.tif': new Uint8Array(3), 'manifest.json': new Uint8Array(0) };
    const value = { grid: { width: 2 }, layers: { refined, features: { data: stack, plane, names: ['a'] } }, files, list: [new DataView(refined.buffer)] };
    const found = transferablesOf(value);
    expect(found).toHaveLength(3);
    expect(new Set(found)).toEqual(new Set([stack.buffer, refined.buffer, files['refined.tif'].buffer]));
  });

  it('skips SharedArrayBuffers and detached buffers, and survives cycles', () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const gone = new Uint8Array(4);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    const cyclic: Record<string, unknown> = { shared, gone };
    cyclic.self = cyclic;
    expect(transferablesOf(cyclic)).toEqual([]);
  });

  it('gives a list postMessage accepts: the arrays move and keep their contents', () => {
    const value = { a: Float32Array.of(1.5, Number.NaN), b: Uint8Array.of(7, 255) };
    const moved = structuredClone(value, { transfer: transferablesOf(value) });
    expect(value.a.byteLength).toBe(0); // detached on the sending side
    expect(Array.from(moved.a)).toEqual([1.5, Number.NaN]);
    expect(Array.from(moved.b)).toEqual([7, 255]);
  });
});
