/**
 * Labelled training pixels from a demo world: the pipeline's own feature stack (the exact code a run uses, so
 * the model sees what inference will see) paired with the world's ground truth. The croptype-demo model is
 * trained on a world of one seed and region and evaluated on the default world (another seed and region).
 */
import { FEATURE_ORDER_V1 } from '../../shared/contract/feature-order';
import { CLASS_NODATA, CLASSES } from '../../shared/contract/classes';
import { parseJobRequest } from '../../shared/contract/job';
import { computeSeasonFeatures } from '../../shared/pipeline/run';
import type { PipelineEnv } from '../../shared/pipeline/types';
import type { RasterGrid } from '../../shared/raster/types';
import { warp } from '../../shared/raster/warp';
import { truthRaster } from '../../server/demo-world/truth';
import { buildWorldModel } from '../../server/demo-world/world-model';
import type { WorldConfig } from '../../server/demo-world/world-config';

/** Truth classes on a target grid (255 where the truth has none), warped nearest-neighbour when the CRS differs. */
export function truthOnGrid(config: WorldConfig, grid: RasterGrid): Uint8Array {
  const world = buildWorldModel(config);
  const tg = world.geometry.truthGrid;
  const truth = truthRaster(world.parcels, world.geometry.epsg, tg);
  return warp({ grid: tg, data: truth, nodata: CLASS_NODATA }, grid, 'nearest').data;
}

/** True where the pixel and its 8 neighbours share one class: clean labels away from field edges. */
export function interiorMask(classes: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let r = 1; r < height - 1; r++) {
    for (let c = 1; c < width - 1; c++) {
      const v = classes[r * width + c];
      if (v === CLASS_NODATA) continue;
      let same = true;
      for (let dr = -1; dr <= 1 && same; dr++) for (let dc = -1; dc <= 1; dc++) if (classes[(r + dr) * width + c + dc] !== v) { same = false; break; }
      out[r * width + c] = same ? 1 : 0;
    }
  }
  return out;
}

/** Options of {@link sampleWorld}. */
export interface SampleOptions {
  config: WorldConfig;
  /** Demo world I/O (in-process or over HTTP), without a model. */
  env: Omit<PipelineEnv, 'model'>;
  year: number;
  /** Pixels per class at most. */
  perClass: number;
  /** Seed of the pixel draw. */
  seed: number;
  signal?: AbortSignal;
}

/** A labelled table: `class` (code) then the FEATURE_ORDER_V1 features. */
export interface LabelledTable {
  header: string[];
  rows: Float32Array[];
}

/** Samples interior pixels of every class from one season of a world. */
export async function sampleWorld(o: SampleOptions): Promise<LabelledTable> {
  const [lon, lat] = o.config.centre;
  const halfMin = Math.min(o.config.halfWidthM, o.config.halfHeightM);
  const request = parseJobRequest({ aoi: { lon, lat, radius_m: Math.min(5000, halfMin - 200) }, year: o.year, outputs: { baseline: false, true_color: false, indices: [] } });
  const sf = await computeSeasonFeatures(request, o.env, FEATURE_ORDER_V1, { signal: o.signal });
  const { grid, features } = sf;
  const truth = truthOnGrid(o.config, grid);
  const interior = interiorMask(truth, grid.width, grid.height);
  const planes = FEATURE_ORDER_V1.map((name) => {
    const i = features.names.indexOf(name);
    return features.data.subarray(i * features.pixels, (i + 1) * features.pixels);
  });
  const byClass = new Map<number, number[]>();
  for (let p = 0; p < features.pixels; p++) {
    if (!interior[p] || !features.valid[p] || !sf.aoiMask[p]) continue;
    const list = byClass.get(truth[p]) ?? [];
    list.push(p);
    byClass.set(truth[p], list);
  }
  let state = o.seed >>> 0 || 1;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const rows: Float32Array[] = [];
  for (const cls of CLASSES.map((c) => c.code)) {
    const list = byClass.get(cls) ?? [];
    // Partial Fisher–Yates: the first `take` entries become a uniform sample.
    const take = Math.min(o.perClass, list.length);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rand() * (list.length - i));
      [list[i], list[j]] = [list[j], list[i]];
      const row = new Float32Array(1 + planes.length);
      row[0] = cls;
      planes.forEach((pl, k) => (row[1 + k] = pl[list[i]]));
      rows.push(row);
    }
  }
  return { header: ['class', ...FEATURE_ORDER_V1], rows };
}
