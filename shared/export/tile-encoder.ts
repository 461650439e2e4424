/**
 * Cuts one image level into padded, pixel-interleaved tiles, applies the predictor and compresses each tile.
 * One scratch buffer per level is reused for every tile: the only per-tile allocation is the compressed output.
 */
import { DATA_TYPES, HOST_LITTLE_ENDIAN } from './data-types';
import { floatingPointDifference, horizontalDifference, swapBytes } from './predictor';
import type { CogBandArray, CogDataType, DeflateFn } from './types';

/** One level to tile. */
export interface TileLevel {
  /** Level size in pixels. */
  readonly width: number;
  readonly height: number;
  /** One array per band, `width * height` each. */
  readonly bands: readonly CogBandArray[];
}

/** How to encode the tiles. */
export interface TileEncoding {
  readonly dataType: CogDataType;
  /** Tile edge in pixels. */
  readonly tileSize: number;
  /** Value for the padding outside the image in edge tiles (nodata, else 0); readers never show it. */
  readonly fill: number;
  readonly deflate: DeflateFn;
  readonly level: number;
}

/** Number of tiles `[across, down]` for a level. */
export function tileGrid(width: number, height: number, tileSize: number): [number, number] {
  return [Math.ceil(width / tileSize), Math.ceil(height / tileSize)];
}

/**
 * Compressed tiles of one level in row-major tile order (the order of TileOffsets). Each is a full
 * `tileSize × tileSize` tile, edge tiles padded, as TIFF requires.
 */
export function encodeTiles(level: TileLevel, enc: TileEncoding): Uint8Array[] {
  const info = DATA_TYPES[enc.dataType];
  const T = enc.tileSize;
  const spp = level.bands.length;
  const samplesPerTile = T * T * spp;
  const buffer = new ArrayBuffer(samplesPerTile * info.bytes);
  const tile = info.view(buffer, samplesPerTile);
  const bytes = new Uint8Array(buffer);
  // The floating-point predictor writes into a second buffer (it reorders bytes across the row).
  const shuffled = info.predictor === 3 ? new Uint8Array(bytes.length) : bytes;
  const [across, down] = tileGrid(level.width, level.height, T);
  const out: Uint8Array[] = [];
  for (let ty = 0; ty < down; ty++) {
    for (let tx = 0; tx < across; tx++) {
      fillTile(tile, level, tx * T, ty * T, T, enc.fill);
      if (info.predictor === 2) {
        horizontalDifference(tile as Uint8Array | Uint16Array | Int16Array, T, T, spp);
        if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, info.bytes);
      } else {
        if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, info.bytes);
        floatingPointDifference(bytes, shuffled, T, T, spp, info.bytes);
      }
      out.push(enc.deflate(shuffled, enc.level));
    }
  }
  return out;
}

/** Copies the tile at pixel `(x0, y0)` into `tile`, interleaving bands and padding outside the image. */
function fillTile(tile: CogBandArray, level: TileLevel, x0: number, y0: number, T: number, fill: number): void {
  const { width, height, bands } = level;
  const spp = bands.length;
  const cols = Math.min(T, width - x0);
  const rows = Math.min(T, height - y0);
  if (cols < T || rows < T) tile.fill(fill);
  if (spp === 1) {
    const band = bands[0];
    for (let r = 0; r < rows; r++) {
      const src = (y0 + r) * width + x0;
      // One bulk copy per row (memcpy) beats a per-sample loop by far for the common single-band case.
      tile.set(band.subarray(src, src + cols), r * T);
    }
    return;
  }
  for (let b = 0; b < spp; b++) {
    const band = bands[b];
    for (let r = 0; r < rows; r++) {
      const src = (y0 + r) * width + x0;
      let d = r * T * spp + b;
      for (let c = 0; c < cols; c++, d += spp) tile[d] = band[src + c];
    }
  }
}
