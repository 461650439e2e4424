/**
 * Generates the demo world into a folder, or completes what is missing: ground truth, every acquisition of every
 * requested season (rendered by a pool of worker threads, one date per job), the crop-mask baseline per year and
 * the STAC catalogue files. Everything streams to disk scene by scene, so memory stays bounded whatever the
 * number of seasons.
 *
 * Layout of `dir`:
 * ```
 * world.json                      config, generator version, anomalies, per-season stats
 * s3/geocrop-demo-world/...        COGs, keyed exactly like DE Africa's buckets
 * stac/items-<season>.ndjson       the season's scene items (its presence marks the season complete)
 * stac/items-cropmask.ndjson       crop-mask items
 * truth/classes.tif, truth/fields.geojson, truth/classes.json
 * ```
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeCog } from '../../shared/export';
import { CLASSES, hexToRgb, CLASS_NODATA } from '../../shared/contract/classes';
import { throwIfAborted } from '../../shared/contract/errors';
import { acquisitionDates, DEFAULT_CONFIG, DEMO_BUCKET, GENERATOR_VERSION, type WorldConfig } from './world-config';
import { buildWorldModel, type WorldModel } from './world-model';
import { DEMO_DEFLATE_LEVEL, nodeDeflate, writeFileAtomic, type AcquisitionJob } from './acquisition';
import { cropMaskItem, type StacItemDoc } from './items';
import { productsFor } from './products';
import { classesJson, cropMask, fieldsGeoJson, truthRaster } from './truth';

export interface GenerateProgress {
  phase: 'truth' | 'scenes' | 'baseline' | 'done';
  season?: number;
  done: number;
  total: number;
}

export interface GenerateOptions {
  dir: string;
  config?: Partial<WorldConfig>;
  /** Worker threads for scenes (default: available cores, at most 4). 0 renders in this thread. */
  workers?: number;
  onProgress?: (p: GenerateProgress) => void;
  signal?: AbortSignal;
}

export interface WorldManifest {
  generatorVersion: number;
  config: WorldConfig;
  epsg: number;
  region: readonly number[];
  regionLonLat: readonly number[];
  tiles: Array<{ id: string; epsg: number; shape10: [number, number]; transform10: readonly number[] }>;
  bucket: string;
  anomalies: { wrongBoaFlag: string | null };
  seasons: Record<string, { scenes: number; items: number; seconds: number }>;
}

function sameWorld(a: WorldManifest, config: WorldConfig): boolean {
  const { seasons: _a, ...ac } = a.config;
  const { seasons: _b, ...bc } = config;
  return a.generatorVersion === GENERATOR_VERSION && JSON.stringify(ac) === JSON.stringify(bc);
}

/**
 * The one legacy scene whose `sentinel:boa_offset_applied` lies: in the 2022 season, the last tile's first scene
 * from October with a (truthful-looking) `true` flag. Fixed per seed and region, whichever seasons are generated.
 */
export function wrongFlagKey(world: WorldModel): string {
  const tile = world.geometry.tiles[world.geometry.tiles.length - 1].tile;
  const dates = acquisitionDates(2022, world.geometry.config.cadenceDays);
  for (let i = 0; i < dates.length; i++) {
    if (dates[i] < '2022-10-01') continue;
    const legacy = productsFor(tile, dates[i], i, world.geometry.config.seed, '').find((p) => p.family === 'legacy');
    if (legacy?.boaOffsetApplied === true) return `${tile.id}:${dates[i]}`;
  }
  return '';
}

function writeTruth(world: WorldModel, dir: string): void {
  const { geometry, parcels } = world;
  const g = geometry.truthGrid;
  const classes = truthRaster(parcels, geometry.epsg, g);
  const colormap = CLASSES.map((c) => hexToRgb(c.colour));
  const bytes = writeCog({
    width: g.width, height: g.height, dataType: 'uint8', bands: [classes], epsg: g.epsg, transform: g.transform,
    nodata: CLASS_NODATA, colormap, resampling: 'mode',
    metadata: { GEOCROP_CLASSES: CLASSES.map((c) => `${c.code}=${c.name}`).join(','), GEOCROP_SEED: String(geometry.config.seed) },
    bandMetadata: [{ description: 'class' }],
  }, { deflate: nodeDeflate });
  writeFileAtomic(path.join(dir, 'truth', 'classes.tif'), bytes);
  writeFileAtomic(path.join(dir, 'truth', 'fields.geojson'), JSON.stringify(fieldsGeoJson(parcels, geometry.epsg)));
  writeFileAtomic(path.join(dir, 'truth', 'classes.json'), JSON.stringify(classesJson(), null, 2));
}

function writeCropMasks(world: WorldModel, dir: string, years: number[]): StacItemDoc[] {
  const { geometry, parcels } = world;
  const g = geometry.baselineGrid;
  return years.map((year) => {
    const prefix = `crop_mask_southeast/${year}`;
    const item = cropMaskItem(geometry, year, prefix);
    const bands = cropMask(parcels, geometry.epsg, g, geometry.config.seed, year);
    for (const band of ['mask', 'prob', 'filtered'] as const) {
      const bytes = writeCog({
        width: g.width, height: g.height, dataType: 'uint8', bands: [bands[band]], epsg: 6933, transform: g.transform, nodata: 0,
        resampling: band === 'prob' ? 'average' : 'mode', deflateLevel: DEMO_DEFLATE_LEVEL, bandMetadata: [{ description: band }],
      }, { deflate: nodeDeflate });
      writeFileAtomic(path.join(dir, 's3', DEMO_BUCKET, prefix, `${String(item.properties.title)}_${band}.tif`), bytes);
    }
    return item;
  });
}

/** A tiny pool: one job per worker at a time, results in completion order. */
async function runPool(jobs: AcquisitionJob[], workers: number, config: WorldConfig, dir: string, world: WorldModel, onDone: (items: StacItemDoc[]) => void, signal?: AbortSignal): Promise<void> {
  if (workers === 0) {
    const { renderAcquisition } = await import('./acquisition');
    for (const job of jobs) {
      throwIfAborted(signal);
      onDone(renderAcquisition(world, dir, job));
    }
    return;
  }
  const queue = [...jobs];
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(new URL('./scene-worker-entry.mjs', import.meta.url), { workerData: { config, dir } }));
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const onAbort = () => reject(signal!.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (w: Worker) => {
        const job = queue.shift();
        if (!job) { if (running === 0) resolve(); return; }
        running++;
        w.postMessage(job);
      };
      for (const w of pool) {
        w.on('message', (msg: { ok: boolean; items?: StacItemDoc[]; error?: string; date: string }) => {
          running--;
          if (!msg.ok) { reject(new Error(`Rendering ${msg.date} failed: ${msg.error}`)); return; }
          onDone(msg.items!);
          feed(w);
        });
        w.on('error', reject);
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** Reads the manifest of a generated world, or null if `dir` holds none. */
export function readManifest(dir: string): WorldManifest | null {
  const file = path.join(dir, 'world.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WorldManifest) : null;
}

/**
 * Generates (or completes) the demo world in `dir`. A folder holding another world (other seed, region or
 * generator version) is cleared first; seasons already complete are kept.
 */
export async function generateWorld(opts: GenerateOptions): Promise<WorldManifest> {
  const config: WorldConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const dir = path.resolve(opts.dir);
  const workers = opts.workers ?? Math.min(4, os.availableParallelism());
  const progress = opts.onProgress ?? (() => {});
  mkdirSync(dir, { recursive: true });

  let manifest = readManifest(dir);
  if (manifest && !sameWorld(manifest, config)) {
    for (const sub of ['s3', 'stac', 'truth', 'world.json']) rmSync(path.join(dir, sub), { recursive: true, force: true });
    manifest = null;
  }
  const world = buildWorldModel(config);
  const { geometry } = world;
  const wrongFlag = wrongFlagKey(world);
  manifest ??= {
    generatorVersion: GENERATOR_VERSION,
    config,
    epsg: geometry.epsg,
    region: geometry.region,
    regionLonLat: geometry.regionLonLat,
    tiles: geometry.tiles.map((t) => ({ id: t.tile.id, epsg: t.tile.epsg, shape10: [t.grid10.height, t.grid10.width], transform10: t.grid10.transform })),
    bucket: DEMO_BUCKET,
    anomalies: { wrongBoaFlag: wrongFlag || null },
    seasons: {},
  };
  const all = new Set([...Object.keys(manifest.seasons).map(Number), ...config.seasons]);
  manifest.config = { ...config, seasons: [...all].sort((a, b) => a - b) };
  const save = () => writeFileAtomic(path.join(dir, 'world.json'), JSON.stringify(manifest, null, 2));

  if (!existsSync(path.join(dir, 'truth', 'classes.json'))) {
    progress({ phase: 'truth', done: 0, total: 1 });
    writeTruth(world, dir);
  }

  for (const year of [...config.seasons].sort((a, b) => a - b)) {
    const itemsFile = path.join(dir, 'stac', `items-${year}.ndjson`);
    if (existsSync(itemsFile)) continue;
    throwIfAborted(opts.signal);
    const t0 = performance.now();
    const dates = acquisitionDates(year, config.cadenceDays);
    // Dates are indexed from a fixed anchor so platforms alternate the same way whichever season is generated.
    const anchorIndex = Math.round((Date.parse(`${dates[0]}T00:00:00Z`) - Date.UTC(2017, 0, 2)) / (config.cadenceDays * 86_400_000));
    const jobs: AcquisitionJob[] = dates.map((date, i) => ({ year, date, dateIndex: anchorIndex + i, wrongFlagKey: wrongFlag }));
    const items: StacItemDoc[] = [];
    progress({ phase: 'scenes', season: year, done: 0, total: jobs.length });
    await runPool(jobs, workers, config, dir, world, (batch) => {
      items.push(...batch);
      progress({ phase: 'scenes', season: year, done: items.length ? new Set(items.map((i) => String(i.properties.datetime).slice(0, 10))).size : 0, total: jobs.length });
    }, opts.signal);
    items.sort((a, b) => String(a.properties.datetime).localeCompare(String(b.properties.datetime)) || a.id.localeCompare(b.id));
    writeFileAtomic(itemsFile, items.map((i) => JSON.stringify(i)).join('\n') + '\n');
    manifest.seasons[String(year)] = { scenes: dates.length * geometry.tiles.length, items: items.length, seconds: Math.round((performance.now() - t0) / 100) / 10 };
    save();
  }

  // One crop mask per calendar year that a generated season's growing months fall in (season Y → year Y+1).
  const maskFile = path.join(dir, 'stac', 'items-cropmask.ndjson');
  const years = manifest.config.seasons.map((y) => y + 1);
  const have = existsSync(maskFile) ? readFileSync(maskFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as StacItemDoc) : [];
  const haveYears = new Set(have.map((i) => Number(String(i.properties.datetime).slice(0, 4))));
  const missing = years.filter((y) => !haveYears.has(y));
  if (missing.length) {
    progress({ phase: 'baseline', done: 0, total: missing.length });
    const items = [...have, ...writeCropMasks(world, dir, missing)].sort((a, b) => String(a.properties.datetime).localeCompare(String(b.properties.datetime)));
    writeFileAtomic(maskFile, items.map((i) => JSON.stringify(i)).join('\n') + '\n');
  }
  save();
  progress({ phase: 'done', done: 1, total: 1 });
  return manifest;
}
