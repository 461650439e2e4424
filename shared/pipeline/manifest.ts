/**
 * The result manifest (`manifest.json`): what was asked, with which model, from which scenes (and which were
 * skipped, why), how many bytes, how long each stage took, and how many hectares of each class were mapped.
 */
import { CLASS_NODATA } from '../contract/classes';
import type { JobRequest } from '../contract/job';
import type { FeatureStack } from '../features/season-finish';
import type { RasterGrid } from '../raster/types';
import type { SeasonScenes } from '../stac/search-season';
import type { ScenePlan } from './plan';
import type { DatesReading } from './read-dates';
import type { ByteReport, PipelineEnv, RunManifest } from './types';

/** Inputs of {@link buildManifest}. */
export interface ManifestInput {
  request: JobRequest;
  plan: ScenePlan;
  found: SeasonScenes;
  reading: DatesReading;
  grid: RasterGrid;
  resolution: number;
  env: PipelineEnv;
  features: FeatureStack;
  refined: Uint8Array;
  aoiMask: Uint8Array;
  aoiPixels: number;
  warnings: string[];
  baseline: { source: string; year: number } | null;
  bytes: ByteReport;
  featureOrder: { version: string; hash: string };
  pipelineVersion: string;
  timings: Record<string, number>;
  files: string[];
}

/** Hectares per class of a class raster inside the AOI (pixel area = resolution², 1 ha = 10 000 m²). */
export function classAreas(refined: Uint8Array, aoiMask: Uint8Array, resolution: number, classes: readonly { code: number; name: string }[]): RunManifest['class_areas_ha'] {
  const counts = new Float64Array(256);
  for (let i = 0; i < refined.length; i++) if (aoiMask[i] && refined[i] !== CLASS_NODATA) counts[refined[i]]++;
  const haPerPixel = (resolution * resolution) / 10_000;
  return classes.map((c) => ({ code: c.code, name: c.name, pixels: counts[c.code], hectares: Math.round(counts[c.code] * haPerPixel * 100) / 100 }));
}

/** Builds the manifest. */
export function buildManifest(m: ManifestInput): RunManifest {
  const skipped = [
    ...m.found.skipped.map((s) => ({ id: s.id, label: s.id, date: '', reason: `${s.collection}: ${s.reason}` })),
    ...m.plan.skipped,
    ...m.reading.skipped,
  ];
  const areas = classAreas(m.refined, m.aoiMask, m.resolution, m.env.model.classes);
  const classified = areas.reduce((a, c) => a + c.pixels, 0);
  return {
    job_id: m.request.job_id,
    request: m.request,
    created: new Date().toISOString(),
    software: { name: 'geocrop', pipeline: m.pipelineVersion },
    model: { id: m.env.model.id, version: m.env.model.version, features: [...m.env.model.featureNames] },
    feature_order: m.featureOrder,
    grid: { ...m.grid, resolution: m.resolution },
    stac: { url: m.env.stacUrl, collections: Object.keys(m.found.counts.returned) },
    scenes: { used: m.reading.used, skipped },
    baseline: m.baseline,
    bytes: m.bytes,
    timings_ms: m.timings,
    class_areas_ha: areas,
    pixels: { aoi: m.aoiPixels, classified, no_observation: m.aoiPixels - classified },
    observations: { dates: m.reading.observations, pixel_observations: m.reading.pixelObservations, fold_ms: Math.round(m.reading.applyMs) },
    warnings: m.warnings,
    files: m.files,
  };
}
