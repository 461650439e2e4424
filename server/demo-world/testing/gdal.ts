/** Test support: GDAL (Debian's python3-gdal) as the oracle for files the demo world writes. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const HAVE_GDAL = existsSync('/usr/bin/gdalinfo') && existsSync('/usr/bin/python3');
if (!HAVE_GDAL) console.warn('GDAL is not installed (apt: gdal-bin python3-gdal): GDAL oracle checks are skipped');

export interface GdalInfo {
  epsg: number | null;
  geotransform: number[];
  size: [number, number];
  nodata: number | null;
  overviews: Array<[number, number]>;
  block: [number, number];
  mean: number;
}

export interface GdalCheck {
  invalid: Record<string, string[]>;
  samples: Record<string, number[]>;
  info: Record<string, GdalInfo>;
}

/** Validates COGs and samples pixels with one GDAL process. */
export function gdalCheck(req: { validate?: string[]; sample?: Array<{ path: string; points: Array<[number, number]> }> }): GdalCheck {
  const out = execFileSync('/usr/bin/python3', [path.join(__dirname, 'gdal_check.py')], { input: JSON.stringify(req), maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString()) as GdalCheck;
}
