/**
 * Decoding one COG tile of the layout every Sentinel-2 and demo-world band has (little-endian, one sample per
 * tile, DEFLATE or none, predictor 1 or 2) straight to its sample bytes, so the window reader can copy rows out of
 * it. Profiling a season read showed geotiff.js's per-pixel window assembly (a DataView getter call per pixel) as
 * one of the largest CPU costs of the pipeline, next to inflating; no library decodes a TIFF tile into a caller's
 * window, and geotiff.js keeps every other layout (LZW, JPEG, floating-point predictor, big-endian, interleaved
 * samples) through {@link decodesDirectly} = false.
 *
 * Inflating: fflate by default, into a buffer sized from the tile, with the zlib Adler-32 checksum verified so a
 * corrupted tile fails loudly instead of decoding to wrong pixels. Measured in Chromium on demo-world tiles, the
 * platform's `DecompressionStream` is no faster on incompressible full-resolution tiles and 3–5× slower on the
 * compressible overview tiles a preview reads (it costs milliseconds per stream), so it is not used; Node passes
 * its native zlib instead ({@link InflateFn}).
 */
import { unzlibSync } from 'fflate';

/**
 * Inflates a zlib stream (RFC 1950) that must decode to `size` bytes; throws when the data is corrupt, including a
 * failed Adler-32 check.
 */
export type InflateFn = (zlib: Uint8Array, size: number) => Uint8Array;

/** What decoding a tile takes (from the level's TIFF tags). */
export interface TileLayout {
  /** TIFF Compression: 1 none, 8 / 32946 DEFLATE. */
  compression: number;
  /** TIFF Predictor: 1 none, 2 horizontal differencing. */
  predictor: number;
  /** Bytes per sample: 1, 2 or 4. */
  bytesPerSample: number;
  tileWidth: number;
  tileHeight: number;
  /** Samples per pixel stored in one tile (1 for single-band files and for PlanarConfiguration 2). */
  samplesPerTile: number;
  littleEndian: boolean;
}

const DEFLATE = new Set([8, 32946]);

/** True when {@link decodeTile} handles the layout; geotiff.js decodes the rest. */
export function decodesDirectly(t: TileLayout): boolean {
  if (!t.littleEndian || t.samplesPerTile !== 1) return false;
  if (t.compression !== 1 && !DEFLATE.has(t.compression)) return false;
  return t.predictor === 1 || (t.predictor === 2 && (t.bytesPerSample === 1 || t.bytesPerSample === 2));
}

/** The part of a tile a reader uses: rows `row0 … row1 − 1`, columns `0 … col1 − 1` (tile pixels). */
export interface TilePart {
  row0: number;
  row1: number;
  col1: number;
}

/**
 * The tile's samples as little-endian bytes, `tileWidth × tileHeight × bytesPerSample` long, predictor undone
 * (within `part` only, when given: rows are independent and a row's differences run from its left edge, so a
 * window that uses part of a tile — an overview tile is mostly padding — skips the rest).
 *
 * @param inflate DEFLATE decoder (default {@link inflateZlib}).
 * @throws Error when the data does not inflate (corrupt stream, failed checksum) or has the wrong size.
 */
export function decodeTile(bytes: Uint8Array, t: TileLayout, inflate: InflateFn = inflateZlib, part?: TilePart): Uint8Array {
  const size = t.tileWidth * t.tileHeight * t.bytesPerSample;
  const raw = DEFLATE.has(t.compression) ? inflate(bytes, size) : bytes;
  if (raw.length !== size) throw new Error(`tile holds ${raw.length} bytes, expected ${size}`);
  if (t.predictor === 2) {
    const { row0, row1, col1 } = part ?? { row0: 0, row1: t.tileHeight, col1: t.tileWidth };
    const samples = t.bytesPerSample === 2 ? new Uint16Array(raw.buffer, raw.byteOffset, size / 2) : raw;
    undoHorizontalDifference(samples, t.tileWidth, row0, row1, col1, t.bytesPerSample === 2 ? 0xffff : 0xff);
  }
  return raw;
}

/** Predictor 2, in place: each sample stored the difference to its left neighbour (wrap-around arithmetic). */
function undoHorizontalDifference(rows: Uint8Array | Uint16Array, width: number, row0: number, row1: number, cols: number, mask: number): void {
  for (let start = row0 * width; start < row1 * width; start += width) {
    let prev = rows[start];
    for (let i = start + 1, end = start + cols; i < end; i++) {
      prev = (prev + rows[i]) & mask;
      rows[i] = prev;
    }
  }
}

/** The default {@link InflateFn}: fflate, then the Adler-32 check fflate leaves out. */
export const inflateZlib: InflateFn = (src, size) => {
  const out = unzlibSync(src, { out: new Uint8Array(size) });
  const n = src.length;
  if (n >= 6) {
    const stored = ((src[n - 4] << 24) | (src[n - 3] << 16) | (src[n - 2] << 8) | src[n - 1]) >>> 0;
    if (stored !== adler32(out)) throw new Error('DEFLATE tile failed its Adler-32 check (corrupt data)');
  }
  return out;
};

/** Adler-32 of `data` (RFC 1950). */
function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  // 5552 is the largest run whose sums cannot overflow before the modulo (zlib's NMAX).
  for (let i = 0; i < data.length;) {
    const stop = Math.min(data.length, i + 5552);
    for (; i < stop; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
