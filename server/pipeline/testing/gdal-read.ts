/** Test support: GDAL (Debian's python3-gdal) validates and reads back whole rasters the pipeline wrote. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** One band as GDAL reads it. */
export interface GdalBand {
  type: string;
  nodata: number | null;
  overviews: number;
  /** Pixels, row-major, typed by `type` (Byte → Uint8Array, Float32 → Float32Array, UInt16 → Uint16Array). */
  data: Uint8Array | Uint16Array | Float32Array;
}

/** One file as GDAL sees it. */
export interface GdalRaster {
  /** The COG validator's errors (empty = valid COG) and warnings. */
  errors: string[];
  warnings: string[];
  epsg: number | null;
  /** GDAL order: `[originX, pixelW, rotX, originY, rotY, pixelH]`. */
  geotransform: number[];
  size: [number, number];
  metadata: Record<string, string>;
  bands: GdalBand[];
}

interface RawBand {
  type: string;
  nodata: number | string | null;
  overviews: number;
  data: string;
}

function typed(type: string, bytes: Buffer): GdalBand['data'] {
  const copy = new Uint8Array(bytes).buffer;
  if (type === 'Byte') return new Uint8Array(copy);
  if (type === 'UInt16') return new Uint16Array(copy);
  if (type === 'Float32') return new Float32Array(copy);
  throw new Error(`gdal-read: no typed array for GDAL type ${type}`);
}

/** Validates and reads every file in one GDAL process. */
export function gdalRead(paths: string[]): Record<string, GdalRaster> {
  const out = execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'gdal_read.py')], { input: JSON.stringify({ paths }), maxBuffer: 512 * 1024 * 1024 });
  const raw = JSON.parse(out.toString()) as Record<string, Omit<GdalRaster, 'bands'> & { bands: RawBand[] }>;
  return Object.fromEntries(Object.entries(raw).map(([p, r]) => [p, {
    ...r,
    bands: r.bands.map((b) => ({ ...b, nodata: b.nodata === 'NaN' ? Number.NaN : (b.nodata as number | null), data: typed(b.type, Buffer.from(b.data, 'base64')) })),
  }]));
}
