/**
 * What the page keeps of a run: the layers it can draw and inspect, not the whole 51-plane feature stack (which is
 * ~200 MB for a 5 km area). The same shape is stored in the run history, so a reopened run draws exactly as it did.
 * Pure data and functions: tested in Node, drawn by the map.
 */
import { CLASS_NODATA, hexToRgb } from '../../../shared/contract/classes';
import { trueColourByte } from '../../../shared/export/outputs';
import { featurePlane } from '../../../shared/features/season-finish';
import { crsToPixel } from '../../../shared/geo/crs';
import { classAreas as manifestClassAreas } from '../../../shared/pipeline/manifest';
import type { RasterGrid } from '../../../shared/raster/types';
import type { RunResult } from '../../../shared/pipeline/types';
import { CONFIDENCE_RAMP, INDEX_RAMP, rampColour } from './colour-ramp';

/** Feature planes kept for display. */
export const DISPLAY_PLANES = ['ndvi_peak', 'evi_peak', 'savi_peak', 'red_at_peak', 'green_at_peak', 'blue_at_peak'] as const;
/** One kept plane. */
export type DisplayPlane = (typeof DISPLAY_PLANES)[number];
/** Index layers a user can show. */
export const INDEX_LAYERS = ['ndvi_peak', 'evi_peak', 'savi_peak'] as const;

/** A class as drawn: code, name and colour (from the model's manifest). */
export interface ClassStyle {
  code: number;
  name: string;
  colour: string;
}

/** The drawable, inspectable part of a run. */
export interface DisplayResult {
  grid: RasterGrid;
  /** Output pixel size, metres (80 for a preview, 10 for the full result). */
  resolution: number;
  classes: readonly ClassStyle[];
  refined: Uint8Array;
  /** Unsmoothed classes. */
  raw: Uint8Array;
  confidence: Float32Array;
  baseline?: Uint8Array;
  aoiMask: Uint8Array;
  /** 1 where the pixel had a clear observation. */
  valid: Uint8Array;
  planes: Partial<Record<DisplayPlane, Float32Array>>;
  monthly?: { month: string; rgb: Uint16Array }[];
  /** NDVI of every date and pixel (×1e4, −32768 = none), for the pixel inspector. */
  ndviSeries: { dates: string[]; values: Int16Array };
  /** 'baseline': only the crop-mask baseline is known yet (what a run shows before its preview). */
  stage?: 'baseline';
}

/**
 * Keeps the displayable layers of a run result. The kept feature planes are copied out of the stack (a view would
 * keep, and a structured clone would store, the whole 51-plane buffer); the other layers share the result's buffers.
 */
export function toDisplayResult(result: RunResult, classes: readonly ClassStyle[]): DisplayResult {
  const { layers, grid, manifest } = result;
  const f = layers.features;
  const planes: DisplayResult['planes'] = {};
  for (const name of DISPLAY_PLANES) if (f.names.includes(name)) planes[name] = featurePlane(f, name).slice();
  return {
    grid,
    resolution: manifest.grid.resolution,
    classes,
    refined: layers.refined,
    raw: layers.classes,
    confidence: layers.confidence,
    baseline: layers.baseline,
    aoiMask: layers.aoiMask,
    valid: f.valid,
    planes,
    monthly: f.monthly,
    ndviSeries: f.ndviSeries,
  };
}

/**
 * A display of the baseline alone, the first thing a run shows: no classes yet (every pixel nodata), the baseline
 * crop mask on the request's grid.
 */
export function baselineDisplay(b: { grid: RasterGrid; aoiMask: Uint8Array; data: Uint8Array }, classes: readonly ClassStyle[]): DisplayResult {
  const n = b.grid.width * b.grid.height;
  const none = new Uint8Array(n).fill(CLASS_NODATA);
  return {
    grid: b.grid, resolution: b.grid.transform[0], classes, refined: none, raw: none, confidence: new Float32Array(n), baseline: b.data,
    aoiMask: b.aoiMask, valid: new Uint8Array(n), planes: {}, ndviSeries: { dates: [], values: new Int16Array(0) }, stage: 'baseline',
  };
}

/** A layer the map can draw. */
export type LayerKind = 'classes' | 'confidence' | 'baseline' | 'truecolor' | (typeof INDEX_LAYERS)[number] | 'monthly';

/** Which layers `d` can draw (in menu order), with their labels. */
export function availableLayers(d: DisplayResult): { kind: LayerKind; label: string }[] {
  if (d.stage === 'baseline') return [{ kind: 'baseline', label: 'Baseline crop mask' }];
  const out: { kind: LayerKind; label: string }[] = [
    { kind: 'classes', label: 'Crop map' },
    { kind: 'confidence', label: 'Confidence' },
  ];
  if (d.baseline) out.push({ kind: 'baseline', label: 'Baseline crop mask' });
  if (d.planes.red_at_peak && d.planes.green_at_peak && d.planes.blue_at_peak) out.push({ kind: 'truecolor', label: 'True colour (at NDVI peak)' });
  for (const k of INDEX_LAYERS) if (d.planes[k]) out.push({ kind: k, label: `${k.split('_')[0].toUpperCase()} peak` });
  if (d.monthly?.length) out.push({ kind: 'monthly', label: 'Monthly composites' });
  return out;
}

/** Baseline colours: crop, not crop (the baseline COG's colour map). */
export const BASELINE_COLOURS = { crop: [230, 160, 40], notCrop: [210, 210, 200] } as const;

/** An RGBA image on the result's grid (row-major, 4 bytes a pixel; alpha 0 outside the AOI or without data). */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * Draws one layer as RGBA. Pixels outside the AOI and nodata pixels are transparent.
 *
 * @param month index into `d.monthly` for the `monthly` layer.
 * @param smoothed crop map: the refined (majority-filtered) classes, or the model's raw classes.
 */
export function renderLayer(d: DisplayResult, kind: LayerKind, opts: { month?: number; smoothed?: boolean } = {}): Rgba {
  const { width, height } = d.grid;
  const n = width * height;
  const out = new Uint8ClampedArray(n * 4);
  const put = (i: number, r: number, g: number, b: number) => {
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = 255;
  };
  const paintRamp = (plane: Float32Array | undefined, ramp: typeof INDEX_RAMP) => {
    if (!plane) return;
    for (let i = 0; i < n; i++) {
      if (!d.aoiMask[i]) continue;
      const c = rampColour(ramp, plane[i]);
      if (c) put(i, c[0], c[1], c[2]);
    }
  };
  switch (kind) {
    case 'classes': {
      const lut = new Map(d.classes.map((c) => [c.code, hexToRgb(c.colour)]));
      const src = opts.smoothed === false ? d.raw : d.refined;
      for (let i = 0; i < n; i++) {
        if (!d.aoiMask[i] || src[i] === CLASS_NODATA) continue;
        const c = lut.get(src[i]);
        if (c) put(i, c[0], c[1], c[2]);
      }
      break;
    }
    case 'confidence':
      paintRamp(d.confidence, CONFIDENCE_RAMP);
      break;
    case 'baseline':
      if (d.baseline) {
        for (let i = 0; i < n; i++) {
          const v = d.baseline[i];
          if (!d.aoiMask[i] || v > 1) continue;
          const c = v === 1 ? BASELINE_COLOURS.crop : BASELINE_COLOURS.notCrop;
          put(i, c[0], c[1], c[2]);
        }
      }
      break;
    case 'truecolor': {
      const { red_at_peak: r, green_at_peak: g, blue_at_peak: b } = d.planes;
      if (r && g && b) for (let i = 0; i < n; i++) if (d.aoiMask[i] && d.valid[i]) put(i, trueColourByte(r[i]), trueColourByte(g[i]), trueColourByte(b[i]));
      break;
    }
    case 'monthly': {
      const m = d.monthly?.[opts.month ?? 0];
      if (m) {
        for (let i = 0; i < n; i++) {
          const r = m.rgb[i];
          if (!d.aoiMask[i] || !r) continue;
          put(i, trueColourByte(r / 10_000), trueColourByte(m.rgb[n + i] / 10_000), trueColourByte(m.rgb[2 * n + i] / 10_000));
        }
      }
      break;
    }
    default:
      paintRamp(d.planes[kind], INDEX_RAMP);
  }
  return { width, height, data: out };
}

/** Everything known about one pixel, for the inspector. */
export interface PixelReport {
  col: number;
  row: number;
  /** Class of the refined map (undefined: no data). */
  classCode?: number;
  className?: string;
  rawClassCode?: number;
  confidence?: number;
  /** Baseline: true crop, false not crop, undefined unknown. */
  baselineCrop?: boolean;
  ndviPeak?: number;
  /** NDVI of each date with a clear observation of this pixel. */
  ndvi: { date: string; value: number }[];
}

/**
 * Reads the pixel under `[x, y]` (coordinates in the grid's CRS); undefined outside the grid or the AOI.
 */
export function inspectPixel(d: DisplayResult, x: number, y: number): PixelReport | undefined {
  const [fc, fr] = crsToPixel(d.grid.transform, x, y);
  const col = Math.floor(fc);
  const row = Math.floor(fr);
  if (col < 0 || row < 0 || col >= d.grid.width || row >= d.grid.height) return undefined;
  const i = row * d.grid.width + col;
  if (!d.aoiMask[i]) return undefined;
  const n = d.grid.width * d.grid.height;
  const ndvi: PixelReport['ndvi'] = [];
  d.ndviSeries.dates.forEach((date, k) => {
    const v = d.ndviSeries.values[k * n + i];
    if (v !== -32768) ndvi.push({ date, value: v / 10_000 });
  });
  const code = d.refined[i];
  const raw = d.raw[i];
  const conf = d.confidence[i];
  const base = d.baseline?.[i];
  const peak = d.planes.ndvi_peak?.[i];
  return {
    col,
    row,
    classCode: code === CLASS_NODATA ? undefined : code,
    className: code === CLASS_NODATA ? undefined : d.classes.find((c) => c.code === code)?.name,
    rawClassCode: raw === CLASS_NODATA ? undefined : raw,
    confidence: Number.isNaN(conf) ? undefined : conf,
    baselineCrop: base === 1 ? true : base === 0 ? false : undefined,
    ndviPeak: peak === undefined || Number.isNaN(peak) ? undefined : peak,
    ndvi,
  };
}

/** Every ArrayBuffer under a display result (to transfer it or size it). */
export function displayBuffers(d: DisplayResult): ArrayBufferLike[] {
  const arrays: ArrayBufferView[] = [d.refined, d.raw, d.confidence, d.aoiMask, d.valid, d.ndviSeries.values, ...Object.values(d.planes), ...(d.monthly ?? []).map((m) => m.rgb)];
  if (d.baseline) arrays.push(d.baseline);
  return [...new Set(arrays.map((a) => a.buffer))];
}

/** One legend row: a class, its colour and its area inside the AOI. */
export interface ClassArea {
  code: number;
  name: string;
  colour: string;
  pixels: number;
  hectares: number;
}

/**
 * Area per class of the shown crop map inside the AOI, in the model's class order: the manifest's computation
 * (`class_areas_ha`), so a preview and a reopened run report the same way a finished run does.
 */
export function classAreas(d: DisplayResult, smoothed = true): ClassArea[] {
  const areas = manifestClassAreas(smoothed ? d.refined : d.raw, d.aoiMask, d.resolution, d.classes);
  return areas.map((a, i) => ({ ...a, colour: d.classes[i].colour }));
}
