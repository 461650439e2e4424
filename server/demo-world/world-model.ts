/**
 * The static model of a demo world — geometry, landscape, per-tile rasters — built deterministically from its
 * config. Main thread and scene workers each build their own copy (cheaper than shipping it across threads).
 */
import type { BBox } from '../../shared/geo/crs';
import { generateLandscape, type Parcel } from './landscape';
import { buildTileModel, type TileModel } from './scene-synth';
import { worldGeometry, type WorldConfig, type WorldGeometry } from './world-config';

/** Land cover reaches this far past the region, metres, so tile windows (snapped outward) are covered too. */
const LANDSCAPE_MARGIN_M = 600;

export interface WorldModel {
  geometry: WorldGeometry;
  parcels: Parcel[];
  /** Built on first use: only scene rendering needs them. */
  tileModels(): TileModel[];
}

export function buildWorldModel(config: WorldConfig): WorldModel {
  const geometry = worldGeometry(config);
  const r = geometry.region;
  const extent: BBox = [r[0] - LANDSCAPE_MARGIN_M, r[1] - LANDSCAPE_MARGIN_M, r[2] + LANDSCAPE_MARGIN_M, r[3] + LANDSCAPE_MARGIN_M];
  const parcels = generateLandscape(config.seed, extent);
  let tiles: TileModel[] | null = null;
  return {
    geometry,
    parcels,
    tileModels: () => (tiles ??= geometry.tiles.map((t) => buildTileModel(parcels, geometry.epsg, t, config.seed))),
  };
}
