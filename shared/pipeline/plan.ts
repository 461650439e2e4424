/**
 * Plan stage: from the scenes a search returned to one observation per acquisition date.
 *
 * One overpass is often delivered twice: as two MGRS tiles (neighbouring tiles overlap by 9.8 km, and near 30°E
 * one UTM zone's tile overlaps the next zone's) and, in DEA's January 2023 overlap, in both `s2_l2a_c1` and the
 * legacy `s2_l2a`. For each date the plan keeps the fewest scenes that cover the AOI, preferring Collection 1,
 * then scenes already in the target grid's UTM zone (no resampling), then larger coverage. Scenes that do not
 * touch the AOI are dropped. The SCL cloud check happens in the read stage (it needs pixels).
 */
import { area, booleanPointInPolygon, difference, featureCollection, intersect } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { aoiPolygon, type Aoi } from '../contract/aoi';
import type { ParsedScene } from '../stac/types';
import type { SpectralBand } from '../features/indices';
import { tilesCovering } from '../raster/cog-window';
import { sourceWindow } from '../raster/grid';
import type { RasterGrid } from '../raster/types';

/** A scene chosen for a date, with the share of the AOI it covers (0..1). */
export interface PlannedScene {
  scene: ParsedScene;
  coverage: number;
}

/** One acquisition date and the scenes (in mosaic priority order) that deliver it. */
export interface PlannedDate {
  date: string;
  scenes: PlannedScene[];
  /** Share of the AOI the scenes cover together (0..1). */
  coverage: number;
}

/** A scene left out, and why (listed in the result manifest). */
export interface SkippedScene {
  id: string;
  label: string;
  date: string;
  reason: string;
}

/** The plan: dates ascending, skipped scenes, and a rough estimate of bytes to read. */
export interface ScenePlan {
  dates: PlannedDate[];
  skipped: SkippedScene[];
  /** Rough compressed bytes to read: whole 512 px tiles touched by the AOI window (≈ 1.3 bytes per uint16 pixel, 0.3 per SCL pixel). */
  estimatedBytes: number;
}

/** Plan options. */
export interface PlanOptions {
  /** Reflectance bands the features need (for the byte estimate). */
  bands: readonly SpectralBand[];
  /** The target grid (for the byte estimate: which part of each band's image is read). */
  grid: RasterGrid;
}

// A new scene must add at least this share of the AOI to be worth reading.
const MIN_GAIN = 0.002;

const familyRank = (s: ParsedScene) => (s.family === 'c1' ? 0 : s.family === 'legacy' ? 1 : 2);

type Shape = Feature<Polygon | MultiPolygon>;
const asFeature = (g: ParsedScene['geometry'] | Polygon): Shape => ({ type: 'Feature', properties: {}, geometry: g as Polygon | MultiPolygon });

/**
 * Chooses the scenes to read, one observation per date.
 *
 * @example
 * const plan = planScenes(scenes, aoi, { grid: targetGrid(aoi, 10), bands: ['red', 'nir'] });
 * plan.dates[0]; // { date: '2022-09-03', scenes: [{ scene, coverage: 1 }], coverage: 1 }
 */
export function planScenes(scenes: readonly ParsedScene[], aoi: Aoi, opts: PlanOptions): ScenePlan {
  const aoiGeometry = aoiPolygon(aoi) as Polygon;
  const aoiShape = asFeature(aoiGeometry);
  const aoiArea = area(aoiShape);
  const byDate = new Map<string, ParsedScene[]>();
  for (const s of scenes) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  const dates: PlannedDate[] = [];
  const skipped: SkippedScene[] = [];
  const skip = (s: ParsedScene, reason: string) => skipped.push({ id: s.id, label: s.label, date: s.date, reason });

  for (const date of [...byDate.keys()].sort()) {
    const candidates = byDate.get(date)!.map((scene) => {
      // A real tile (110 km) usually holds the whole AOI: no clipping then (≈ 1 ms of turf per scene and step).
      if (containsConvex(asFeature(scene.geometry).geometry, aoiGeometry)) return { scene, part: aoiShape, coverage: 1 };
      const part = intersect(featureCollection([aoiShape, asFeature(scene.geometry)]));
      return { scene, part, coverage: part ? Math.min(1, area(part) / aoiArea) : 0 };
    });
    candidates.sort((a, b) =>
      familyRank(a.scene) - familyRank(b.scene)
      || Number(a.scene.epsg !== opts.grid.epsg) - Number(b.scene.epsg !== opts.grid.epsg)
      || b.coverage - a.coverage
      || a.scene.id.localeCompare(b.scene.id));
    let remaining: Shape | null = aoiShape;
    const chosen: PlannedScene[] = [];
    let first: ParsedScene | null = null;
    for (const c of candidates) {
      if (c.coverage === 0 || !c.part) {
        skip(c.scene, 'does not cover the area of interest');
        continue;
      }
      // A scene holding the whole AOI gains whatever is still uncovered.
      const gain: Shape | null = c.part === aoiShape ? remaining : remaining ? intersect(featureCollection([remaining, c.part])) : null;
      if (!gain || area(gain) / aoiArea < MIN_GAIN) {
        skip(c.scene, `same acquisition already covered by ${first?.label ?? 'another scene'}`);
        continue;
      }
      chosen.push({ scene: c.scene, coverage: c.coverage });
      first ??= c.scene;
      remaining = c.part === aoiShape || !remaining ? null : difference(featureCollection([remaining, c.part]));
    }
    if (chosen.length) {
      const covered = 1 - (remaining ? area(remaining) / aoiArea : 0);
      dates.push({ date, scenes: chosen, coverage: Math.max(0, Math.min(1, covered)) });
    }
  }
  return { dates, skipped, estimatedBytes: estimateBytes(dates, opts) };
}

/**
 * At most `max` of the planned dates, spread over the season: the dates are cut into `max` runs of equal length (in
 * plan order) and each run keeps its clearest date (lowest scene cloud cover, unknown counting as 100 %; earliest on
 * ties). A preview reads a season at this coarser cadence — the phenology features need the season's shape, not every
 * overpass — and the dates left out are listed as skipped.
 */
export function thinDates(plan: ScenePlan, max: number): ScenePlan {
  const n = plan.dates.length;
  if (!(max >= 1) || n <= max) return plan;
  const cloud = (d: PlannedDate) => Math.max(...d.scenes.map((s) => s.scene.cloudCover ?? 100));
  const kept: PlannedDate[] = [];
  const skipped = [...plan.skipped];
  for (let k = 0; k < max; k++) {
    const span = plan.dates.slice(Math.floor((k * n) / max), Math.floor(((k + 1) * n) / max));
    const best = span.reduce((a, b) => (cloud(b) < cloud(a) ? b : a));
    kept.push(best);
    for (const d of span) {
      if (d === best) continue;
      for (const { scene } of d.scenes) skipped.push({ id: scene.id, label: scene.label, date: scene.date, reason: `left out of a ${max}-date preview` });
    }
  }
  return { dates: kept, skipped, estimatedBytes: Math.round((plan.estimatedBytes * kept.length) / n) };
}

/**
 * True when `outer` holds all of the convex polygon `inner`: every vertex of `inner` strictly inside `outer`, and no
 * vertex of `outer` (holes included) strictly inside `inner`. That suffices for a convex `inner`: an edge of `outer`
 * crossing it would cut off at least one of its vertices (a straight line cannot enter and leave a convex polygon
 * between two adjacent vertices), and a hole inside it would put a vertex there.
 */
export function containsConvex(outer: Polygon | MultiPolygon, inner: Polygon): boolean {
  const innerFeature = asFeature(inner);
  const ring = inner.coordinates[0];
  if (!ring.every((p) => booleanPointInPolygon(p, outer, { ignoreBoundary: true }))) return false;
  const rings = outer.type === 'Polygon' ? outer.coordinates : outer.coordinates.flat();
  return !rings.some((r) => r.some((p) => booleanPointInPolygon(p, innerFeature, { ignoreBoundary: true })));
}

/** Internal tile edge assumed before any header is read (DEA and the demo world use 512 or 1024). */
const ASSUMED_TILE_PX = 512;

function estimateBytes(dates: readonly PlannedDate[], opts: PlanOptions): number {
  const grid = opts.grid;
  // Reads fetch whole internal tiles: count the tiles of each band's window (from the item's proj:shape and
  // proj:transform, so small images are clipped as the reader will), times a tile's compressed size.
  let bytes = 0;
  for (const d of dates) {
    for (const { scene } of d.scenes) {
      for (const name of [...opts.bands, 'scl'] as const) {
        const band = scene.bands[name];
        if (!band) continue;
        const w = sourceWindow(grid, band.epsg, band.transform, band.shape[1], band.shape[0]);
        if (!w) continue;
        // A coarser target reads an overview: the window shrinks by the level's factor.
        const f = Math.max(1, 2 ** Math.floor(Math.log2(grid.transform[0] / band.resolution)));
        const T = ASSUMED_TILE_PX;
        const level = { col0: Math.floor(w.col0 / f), row0: Math.floor(w.row0 / f), col1: Math.ceil(w.col1 / f), row1: Math.ceil(w.row1 / f) };
        bytes += tilesCovering(level, T, T).length * T * T * (name === 'scl' ? 0.3 : 1.3);
      }
    }
  }
  return Math.round(bytes);
}
