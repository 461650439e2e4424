/**
 * Renders one acquisition date of the demo world: the sky once, then every tile that overpass delivers, in every
 * product family it is delivered as (legacy and/or c1), written as COGs under the world's S3 folder.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { writeCog } from '../../shared/export';
import { drawSky } from './atmosphere';
import { sceneItem, type StacItemDoc } from './items';
import { seasonDay, spectraForDate, type SeasonConditions } from './phenology';
import { BAND_FILES, productsFor } from './products';
import { Rng, hashString } from './random';
import { BANDS_10M, synthesiseScene } from './scene-synth';
import { DEMO_BUCKET } from './world-config';
import type { WorldModel } from './world-model';

/** DEFLATE level of demo COGs: level 2 is within 3 % of level 6 in size and about twice as fast to write. */
export const DEMO_DEFLATE_LEVEL = 2;

/** Node's zlib is several times faster than the pure-JS default the writer uses in browsers. */
export const nodeDeflate = (data: Uint8Array, level: number): Uint8Array => zlib.deflateSync(data, { level });

/** How late or early the rains came in a season (days), drawn from the world seed. */
export function seasonConditions(seed: number, year: number): SeasonConditions {
  const rng = new Rng(hashString(`season:${seed}:${year}`));
  return { onsetShift: Math.max(-15, Math.min(15, rng.normal(0, 8))) };
}

/** Writes bytes to `file` atomically (temp file + rename), so an interrupted run never leaves half a COG. */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

export interface AcquisitionJob {
  year: number;
  date: string;
  dateIndex: number;
  /** `<tile>:<date>` of the scene whose BOA-offset flag lies (see products.ts). */
  wrongFlagKey: string;
}

/** Renders every product of one date into `<dir>/s3/<bucket>/...` and returns their STAC items. */
export function renderAcquisition(world: WorldModel, dir: string, job: AcquisitionJob): StacItemDoc[] {
  const { geometry, parcels } = world;
  const seed = geometry.config.seed;
  const centre = geometry.config.centre;
  const products0 = productsFor(geometry.tiles[0].tile, job.date, job.dateIndex, seed, job.wrongFlagKey);
  const sky = drawSky(seed, products0[0].datetime, geometry.region, centre);
  const spectra = spectraForDate(parcels, seasonDay(job.date, job.year), seasonConditions(seed, job.year));
  const items: StacItemDoc[] = [];
  world.tileModels().forEach((model) => {
    const { tile, grid10, grid20 } = model.window;
    const products = productsFor(tile, job.date, job.dateIndex, seed, job.wrongFlagKey);
    // Reflectance is synthesised once per tile; each product only differs in its DN offset.
    const byOffset = new Map<number, ReturnType<typeof synthesiseScene>>();
    for (const product of products) {
      let scene = byOffset.get(product.dnOffset);
      if (!scene) {
        scene = synthesiseScene(model, parcels, spectra, sky, { offset: product.dnOffset }, `${seed}:${tile.id}:${job.date}`);
        byOffset.set(product.dnOffset, scene);
      }
      for (const [band, { file }] of Object.entries(BAND_FILES)) {
        const is10 = BANDS_10M.includes(band as never);
        const grid = is10 ? grid10 : grid20;
        const data = band === 'scl' ? scene.scl : scene.bands[band as keyof typeof scene.bands];
        const bytes = writeCog({
          width: grid.width,
          height: grid.height,
          dataType: band === 'scl' ? 'uint8' : 'uint16',
          bands: [data],
          epsg: grid.epsg,
          transform: grid.transform,
          nodata: 0,
          tileSize: 512,
          overviews: is10 ? [2, 4, 8] : [2, 4],
          resampling: band === 'scl' ? 'nearest' : 'average',
          metadata: { OVR_RESAMPLING_ALG: band === 'scl' ? 'NEAREST' : 'AVERAGE' },
          deflateLevel: DEMO_DEFLATE_LEVEL,
        }, { deflate: nodeDeflate });
        writeFileAtomic(path.join(dir, 's3', DEMO_BUCKET, product.prefix, file), bytes);
      }
      items.push(sceneItem(product, tile, grid10, grid20, scene, { azimuth: sky.sunAzimuth, elevation: sky.sunElevation }));
    }
  });
  return items;
}
