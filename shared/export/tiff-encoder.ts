/**
 * Little-endian classic TIFF encoder with GDAL's COG layout:
 *
 * ```
 * header (8) | ghost area (GDAL_STRUCTURAL_METADATA) | IFD 0 + its values | IFD 1 + values | … |
 * tiles of the last IFD (smallest overview) | … | tiles of IFD 0 (full resolution)
 * ```
 * Every tile is preceded by its byte count as a uint32 (BLOCK_LEADER=SIZE_AS_UINT4) and followed by a copy of
 * its last 4 bytes (BLOCK_TRAILER=LAST_4_BYTES_REPEATED), as GDAL writes and its validator checks: a reader that
 * fetched a tile can then tell a truncated or since-modified file from a good one.
 */
import { GeoCropError } from '../contract/errors';
import { FieldType, Tag, type FieldTypeCode, type TiffTag } from './tiff-tags';

/** One image (IFD) to write: its tags without TileOffsets/TileByteCounts, and its compressed tiles in order. */
export interface TiffImage {
  readonly tags: readonly TiffTag[];
  readonly tiles: readonly Uint8Array[];
}

/** Largest file classic TIFF can address (32-bit offsets). */
export const CLASSIC_TIFF_MAX_BYTES = 0xffffffff;

const FIELD_SIZE: Record<FieldTypeCode, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };

/**
 * GDAL's structural-metadata ("ghost") block that sits between the header and the first IFD. Readers that know
 * it (GDAL) learn the layout promises below; others skip it because the header points past it.
 */
export function ghostArea(): string {
  const body =
    'LAYOUT=IFDS_BEFORE_DATA\n' +
    'BLOCK_ORDER=ROW_MAJOR\n' +
    'BLOCK_LEADER=SIZE_AS_UINT4\n' +
    'BLOCK_TRAILER=LAST_4_BYTES_REPEATED\n' +
    'KNOWN_INCOMPATIBLE_EDITION=NO\n ';
  const size = String(body.length).padStart(6, '0');
  return `GDAL_STRUCTURAL_METADATA_SIZE=${size} bytes\n${body}`;
}

interface EncodedTag {
  tag: number;
  type: FieldTypeCode;
  count: number;
  /** Numbers, or the ASCII bytes including the NUL terminator. */
  values: ArrayLike<number>;
  /** Bytes of the value; stored inline in the entry when ≤ 4. */
  size: number;
}

const utf8 = new TextEncoder();

function encodeTag(t: TiffTag): EncodedTag {
  // GDAL writes UTF-8 into ASCII tags (descriptions, metadata) and reads it back as UTF-8; we do the same.
  const values = typeof t.values === 'string' ? nulTerminated(utf8.encode(t.values)) : t.values;
  return { tag: t.tag, type: t.type, count: values.length, values, size: values.length * FIELD_SIZE[t.type] };
}

function nulTerminated(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

const even = (n: number): number => n + (n & 1);

/**
 * Lays out and writes the whole file.
 * @param images IFD order: full resolution first, then overviews from largest to smallest
 * @throws GeoCropError INVALID_RASTER when the result would exceed 4 GiB (classic TIFF offsets are 32-bit)
 */
export function encodeCogTiff(images: readonly TiffImage[]): Uint8Array {
  const ghost = utf8.encode(ghostArea());
  // Pass 1: sizes. TileOffsets/TileByteCounts have a known count, so every IFD's size is known before any
  // offset is; the offsets are filled in pass 2.
  const ifds = images.map((img) => {
    const n = img.tiles.length;
    const tileOffsets = new Uint32Array(n);
    const byteCounts = new Uint32Array(n);
    for (let i = 0; i < n; i++) byteCounts[i] = img.tiles[i].length;
    const tags = [
      ...img.tags,
      { tag: Tag.TileOffsets, type: FieldType.LONG, values: tileOffsets },
      { tag: Tag.TileByteCounts, type: FieldType.LONG, values: byteCounts },
    ].map(encodeTag).sort((a, b) => a.tag - b.tag);
    const entriesSize = 2 + tags.length * 12 + 4;
    const valuesSize = tags.reduce((s, t) => s + (t.size > 4 ? even(t.size) : 0), 0);
    return { tags, tileOffsets, size: entriesSize + valuesSize, offset: 0 };
  });
  // The validator expects the first IFD right after the ghost area, on a 2-byte boundary.
  let pos = even(8 + ghost.length);
  for (const ifd of ifds) {
    ifd.offset = pos;
    pos += ifd.size;
  }
  // Tile data: smallest overview first, full resolution last, each tile inside its leader and trailer.
  for (let k = images.length - 1; k >= 0; k--) {
    const tiles = images[k].tiles;
    for (let i = 0; i < tiles.length; i++) {
      ifds[k].tileOffsets[i] = pos + 4;
      pos += 4 + tiles[i].length + 4;
    }
  }
  if (pos > CLASSIC_TIFF_MAX_BYTES) {
    throw new GeoCropError(
      'INVALID_RASTER',
      `the COG would be ${(pos / 2 ** 30).toFixed(2)} GiB, over the 4 GiB classic TIFF limit; write the raster as several smaller tiles`,
      { bytes: pos },
    );
  }

  // Pass 2: write.
  const out = new Uint8Array(pos);
  const view = new DataView(out.buffer);
  out[0] = 0x49; // "II": little-endian
  out[1] = 0x49;
  view.setUint16(2, 42, true);
  view.setUint32(4, ifds.length ? ifds[0].offset : 0, true);
  out.set(ghost, 8);
  ifds.forEach((ifd, k) => {
    let p = ifd.offset;
    view.setUint16(p, ifd.tags.length, true);
    p += 2;
    let valuesAt = ifd.offset + 2 + ifd.tags.length * 12 + 4;
    for (const t of ifd.tags) {
      view.setUint16(p, t.tag, true);
      view.setUint16(p + 2, t.type, true);
      view.setUint32(p + 4, t.count, true);
      if (t.size <= 4) {
        writeValues(view, p + 8, t);
      } else {
        view.setUint32(p + 8, valuesAt, true);
        writeValues(view, valuesAt, t);
        valuesAt += even(t.size);
      }
      p += 12;
    }
    view.setUint32(p, k + 1 < ifds.length ? ifds[k + 1].offset : 0, true);
  });
  for (let k = images.length - 1; k >= 0; k--) {
    const { tiles } = images[k];
    const offsets = ifds[k].tileOffsets;
    for (let i = 0; i < tiles.length; i++) {
      const data = tiles[i];
      const at = offsets[i];
      view.setUint32(at - 4, data.length, true);
      out.set(data, at);
      // Trailer: the tile's last 4 bytes again. zlib streams are always ≥ 6 bytes; GDAL leaves the trailer of a
      // shorter block unchecked, so zeros are fine there.
      if (data.length >= 4) out.set(data.subarray(data.length - 4), at + data.length);
    }
  }
  return out;
}

function writeValues(view: DataView, at: number, t: EncodedTag): void {
  const v = t.values;
  switch (t.type) {
    case FieldType.ASCII:
      for (let i = 0; i < t.count; i++) view.setUint8(at + i, v[i]);
      break;
    case FieldType.SHORT:
      for (let i = 0; i < t.count; i++) view.setUint16(at + 2 * i, v[i], true);
      break;
    case FieldType.LONG:
      for (let i = 0; i < t.count; i++) view.setUint32(at + 4 * i, v[i], true);
      break;
    case FieldType.DOUBLE:
      for (let i = 0; i < t.count; i++) view.setFloat64(at + 8 * i, v[i], true);
      break;
  }
}
