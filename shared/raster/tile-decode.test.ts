import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { horizontalDifference } from '../export/predictor';
import { decodesDirectly, decodeTile, inflateZlib, type TileLayout } from './tile-decode';

const W = 64;
const H = 48;
const layout = (over: Partial<TileLayout> = {}): TileLayout => ({ compression: 8, predictor: 2, bytesPerSample: 2, tileWidth: W, tileHeight: H, samplesPerTile: 1, littleEndian: true, ...over });
const u16 = Uint16Array.from({ length: W * H }, (_, i) => (1000 + ((i * 7919) % 9000) + ((i % W) * 3)) & 0xffff);
const u8 = Uint8Array.from({ length: W * H }, (_, i) => (i * 31 + (i >> 6)) & 0xff);
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A tile as GDAL writes it: predictor 2 applied, then zlib. */
function encode(samples: Uint16Array | Uint8Array, predictor: number): Uint8Array {
  const copy = samples.slice();
  if (predictor === 2) horizontalDifference(copy, W, H, 1);
  return new Uint8Array(zlib.deflateSync(bytesOf(copy)));
}

describe('decodeTile', () => {
  it('undoes DEFLATE and predictor 2 for 16- and 8-bit samples, and reads uncompressed tiles', () => {
    expect(decodeTile(encode(u16, 2), layout())).toEqual(bytesOf(u16));
    expect(decodeTile(encode(u8, 2), layout({ bytesPerSample: 1 }))).toEqual(bytesOf(u8));
    expect(decodeTile(encode(u16, 1), layout({ predictor: 1 }))).toEqual(bytesOf(u16));
    expect(decodeTile(bytesOf(u16.slice()), layout({ compression: 1, predictor: 1 }))).toEqual(bytesOf(u16));
  });

  it('undoes the predictor only within the part asked for, exactly as the whole tile there', () => {
    const whole = new Uint16Array(decodeTile(encode(u16, 2), layout()).buffer);
    const part = new Uint16Array(decodeTile(encode(u16, 2), layout(), undefined, { row0: 5, row1: 17, col1: 30 }).buffer);
    let inside = 0, outside = 0;
    for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
      const i = r * W + c;
      if (r >= 5 && r < 17 && c < 30) inside += part[i] === whole[i] ? 0 : 1;
      else outside += part[i] === whole[i] ? 0 : 1;
    }
    expect(inside).toBe(0);
    expect(outside).toBeGreaterThan(0); // the rest stayed differenced: work skipped
  });

  it('uses the inflater it is given', () => {
    const calls: number[] = [];
    const out = decodeTile(encode(u16, 2), layout(), (d, size) => {
      calls.push(size);
      return new Uint8Array(zlib.inflateSync(d));
    });
    expect(calls).toEqual([W * H * 2]);
    expect(out).toEqual(bytesOf(u16));
  });

  it('rejects a corrupted stream (Adler-32) and a tile of the wrong size', () => {
    const bad = encode(u16, 2);
    bad[bad.length - 1] ^= 0x01; // the checksum's last byte: the data inflates, the check fails
    expect(() => inflateZlib(bad, W * H * 2)).toThrow(/Adler-32/);
    expect(() => decodeTile(encode(u16, 2), layout({ tileHeight: H - 1 }))).toThrow();
    expect(() => decodeTile(encode(u16, 2), layout({ tileHeight: H + 1 }))).toThrow(/expected/);
  });
});

describe('decodesDirectly', () => {
  it('takes the Sentinel-2 layouts and leaves the rest to geotiff.js', () => {
    expect(decodesDirectly(layout())).toBe(true);
    expect(decodesDirectly(layout({ compression: 32946 }))).toBe(true);
    expect(decodesDirectly(layout({ compression: 1, predictor: 1, bytesPerSample: 4 }))).toBe(true);
    expect(decodesDirectly(layout({ compression: 5 }))).toBe(false); // LZW
    expect(decodesDirectly(layout({ predictor: 3, bytesPerSample: 4 }))).toBe(false); // floating-point predictor
    expect(decodesDirectly(layout({ littleEndian: false }))).toBe(false);
    expect(decodesDirectly(layout({ samplesPerTile: 3 }))).toBe(false);
  });
});
