/**
 * Export stage: a run's layers as Cloud Optimized GeoTIFFs (the owner's object layout: `refined.tif`,
 * `baseline.tif`, `truecolor.tif`, `ndvi_peak.tif` …) plus `manifest.json`.
 */
import { hexToRgb } from '../contract/classes';
import { throwIfAborted } from '../contract/errors';
import type { RasterGrid } from '../raster/types';
import { featurePlane, type FeatureStack } from '../features/season-finish';
import { MONTH_SUFFIXES } from '../features/catalogue';
import { writeCog } from './cog-writer';
import type { CogInput, DeflateFn } from './types';

/** Reflectance shown as full brightness in true-colour outputs (0.3: the usual Sentinel-2 true-colour stretch). */
export const TRUE_COLOUR_MAX = 0.3;

/** What {@link encodeOutputs} writes. */
export interface OutputLayers {
  grid: RasterGrid;
  refined: Uint8Array;
  confidence: Float32Array;
  baseline?: Uint8Array;
  features: FeatureStack;
  /** 1 inside the AOI (outside: nodata in every output). */
  aoiMask: Uint8Array;
  classes: readonly { code: number; name: string; colour: string }[];
  /** Which optional outputs the request asked for. */
  want: { refined: boolean; baseline: boolean; trueColor: boolean; indices: readonly string[]; monthly: boolean };
  /** Dataset metadata written into every file (job id, model, season). */
  metadata: Record<string, string>;
}

/** Reflectance → 1..255 (0 is nodata in true-colour files). */
export function trueColourByte(reflectance: number): number {
  if (!(reflectance >= 0)) return 1;
  return Math.max(1, Math.min(255, Math.round((reflectance / TRUE_COLOUR_MAX) * 255)));
}

/**
 * Encodes the requested outputs as COGs, keyed by file name. `manifest.json` is added by the orchestrator.
 *
 * @param deflate platform DEFLATE (Node's zlib is ~3× faster than the fflate default).
 * @param signal checked before each file.
 */
export function encodeOutputs(o: OutputLayers, deflate?: DeflateFn, signal?: AbortSignal): Record<string, Uint8Array> {
  const { grid, aoiMask } = o;
  const n = grid.width * grid.height;
  const base = { width: grid.width, height: grid.height, epsg: grid.epsg, transform: grid.transform } as const;
  // Checked between files: a cancel during export waits for one COG at most.
  const write = (input: Omit<CogInput, keyof typeof base>) => {
    throwIfAborted(signal);
    return writeCog({ ...base, ...input, metadata: { ...o.metadata, ...input.metadata } }, { deflate });
  };
  const files: Record<string, Uint8Array> = {};

  if (o.want.refined) {
    const colormap: [number, number, number][] = Array.from({ length: 256 }, () => [0, 0, 0]);
    for (const c of o.classes) colormap[c.code] = hexToRgb(c.colour);
    files['refined.tif'] = write({
      dataType: 'uint8', bands: [o.refined], nodata: 255, colormap, resampling: 'mode',
      metadata: { GEOCROP_CLASSES: o.classes.map((c) => `${c.code}=${c.name}`).join(',') },
      bandMetadata: [{ description: 'class' }],
    });
    const conf = new Uint8Array(n).fill(255);
    for (let i = 0; i < n; i++) if (aoiMask[i] && o.confidence[i] >= 0) conf[i] = Math.round(o.confidence[i] * 100);
    files['confidence.tif'] = write({ dataType: 'uint8', bands: [conf], nodata: 255, bandMetadata: [{ description: 'confidence (max class probability), percent' }] });
  }
  if (o.want.baseline && o.baseline) {
    files['baseline.tif'] = write({
      dataType: 'uint8', bands: [o.baseline], nodata: 255, resampling: 'mode',
      colormap: Array.from({ length: 256 }, (_, i): [number, number, number] => (i === 1 ? [230, 160, 40] : i === 0 ? [210, 210, 200] : [0, 0, 0])),
      bandMetadata: [{ description: 'crop (1) / not crop (0)' }],
    });
  }
  const f = o.features;
  if (o.want.trueColor && f.names.includes('red_at_peak') && f.names.includes('blue_at_peak')) {
    const rgb = (['red', 'green', 'blue'] as const).map((b) => {
      const src = featurePlane(f, `${b}_at_peak`);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) if (aoiMask[i] && f.valid[i]) out[i] = trueColourByte(src[i]);
      return out;
    });
    files['truecolor.tif'] = write({
      dataType: 'uint8', bands: rgb, nodata: 0, photometric: 'rgb',
      bandMetadata: ['red', 'green', 'blue'].map((b) => ({ description: `${b} at the NDVI peak, 0–${TRUE_COLOUR_MAX} reflectance → 1–255` })),
    });
  }
  for (const name of o.want.indices) {
    if (!f.names.includes(name)) continue;
    files[`${name}.tif`] = write({ dataType: 'float32', bands: [maskedPlane(featurePlane(f, name), aoiMask)], nodata: Number.NaN, bandMetadata: [{ description: name }] });
  }
  if (o.want.monthly) {
    if (f.names.includes('ndvi_sep')) {
      files['monthly_ndvi.tif'] = write({
        dataType: 'float32', nodata: Number.NaN,
        bands: MONTH_SUFFIXES.map((m) => maskedPlane(featurePlane(f, `ndvi_${m}`), aoiMask)),
        bandMetadata: MONTH_SUFFIXES.map((m) => ({ description: `median NDVI ${m} (gap-filled)` })),
      });
    }
    for (const { month, rgb } of f.monthly ?? []) {
      const bands = [0, 1, 2].map((c) => {
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = rgb[c * n + i];
          if (aoiMask[i] && v) out[i] = trueColourByte(v / 10_000);
        }
        return out;
      });
      files[`monthly_truecolor_${month}.tif`] = write({ dataType: 'uint8', bands, nodata: 0, photometric: 'rgb', bandMetadata: ['red', 'green', 'blue'].map((b) => ({ description: `median ${b} ${month}` })) });
    }
  }
  return files;
}

function maskedPlane(src: Float32Array, aoiMask: Uint8Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = aoiMask[i] ? src[i] : Number.NaN;
  return out;
}
