/**
 * STAC Item → {@link ParsedScene}: one parser for DEA's stored (Element84-style) items, the items DEA Explorer's
 * STAC API serves (built from EO3 documents), Element84 earth-search items and the demo world's items.
 */
import type { z } from 'zod';
import { GeoCropError } from '../contract/errors';
import type { Affine } from '../geo/crs';
import { BAND_NAMES, bandForAssetKey, type BandName } from './band-names';
import { dnConversion } from './reflectance';
import { rasterBandSchema, stacItemSchema, type StacAsset, type StacItem } from './schema';
import { boaOffsetApplied, epsgOf, processingBaseline, sceneFamily, sceneTile } from './scene-metadata';
import type { ParsedScene, SceneBand, SceneGeometry } from './types';

function fail(itemId: string, field: string, message: string, extra?: Record<string, unknown>): GeoCropError {
  return new GeoCropError('INVALID_ITEM', `STAC item ${JSON.stringify(itemId)}: ${field} ${message}`, {
    itemId,
    field,
    ...extra,
  });
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(item)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function validate(item: unknown): StacItem {
  const result = stacItemSchema.safeParse(item);
  if (result.success) return result.data;
  const rawId = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  const id = typeof rawId === 'string' && rawId !== '' ? rawId : '(no id)';
  const issues = result.error.issues.map((i: z.core.$ZodIssue) => ({ path: issuePath(i.path), message: i.message }));
  const first = result.error.issues[0];
  const missing = first.path.length > 0 && valueAt(item, first.path) === undefined;
  throw fail(id, issues[0].path, missing ? 'is missing' : `is invalid: ${first.message}`, { issues });
}

/** Datetime of the scene: `datetime`, or `start_datetime` when the item gives a range instead. */
function sceneInstant(item: StacItem): Date {
  const p = item.properties;
  return new Date((p.datetime ?? p.start_datetime) as string);
}

/** Picks, for every band, the best asset: canonical key over aliases, COG/GeoTIFF over other media types. */
function bandAssets(item: StacItem): Map<BandName, { key: string; asset: StacAsset }> {
  const best = new Map<BandName, { key: string; asset: StacAsset; rank: number }>();
  for (const [key, asset] of Object.entries(item.assets)) {
    const match = bandForAssetKey(key);
    if (!match) continue;
    // Element84 lists JPEG2000 twins under other keys (`red-jp2`); a `type` that is not TIFF is never a COG.
    if (asset.type !== undefined && !/tiff/i.test(asset.type)) continue;
    const prev = best.get(match.band);
    if (!prev || match.rank < prev.rank) best.set(match.band, { key, asset, rank: match.rank });
  }
  return new Map([...best].map(([band, { key, asset }]) => [band, { key, asset }]));
}

function rasterBandOf(id: string, key: string, asset: StacAsset): z.infer<typeof rasterBandSchema> | undefined {
  const raw = asset['raster:bands']?.[0];
  if (raw === undefined) return undefined;
  const result = rasterBandSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue.path.length ? `.${issuePath(issue.path)}` : '';
    throw fail(id, `assets.${key}.raster:bands[0]${at}`, `is invalid: ${issue.message}`);
  }
  return result.data;
}

function toAffine(t: readonly number[]): Affine {
  // ODC writes legacy grids as the full 3×3 matrix; its last row (0 0 1) carries no information.
  return Object.freeze([t[0], t[1], t[2], t[3], t[4], t[5]]) as Affine;
}

function nodataOf(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (raw === 'nan') return Number.NaN;
  return 0; // DEA product definitions: nodata 0 on every Sentinel-2 band.
}

function bboxOf(geometry: SceneGeometry): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      }
    }
  }
  return [w, s, e, n];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates a STAC Item against {@link stacItemSchema} and returns the scene GeoCrop works with.
 *
 * Bands are found by asset key (common names, ESA band ids and the DEA product-definition aliases, any case);
 * each band needs an href, `proj:shape`, `proj:transform` (6 or 9 numbers, returned as 6) and an EPSG code at
 * asset or item level. Scale/offset follow {@link dnConversion}.
 *
 * @throws GeoCropError `INVALID_ITEM` naming the field and the item id when the item cannot be used.
 * @example
 * const scene = parseSceneItem(await (await fetch(url)).json());
 * const red = scene.bands.red; // { href, epsg, shape, transform, resolution: 10, scale: 1e-4, offset: -0.1, ... }
 */
export function parseSceneItem(item: unknown): ParsedScene {
  const stac = validate(item);
  const props = stac.properties as Record<string, unknown>;
  const id = stac.id;

  const when = sceneInstant(stac);
  const datetime = when.toISOString();
  const date = datetime.slice(0, 10);
  const tile = sceneTile(props, id);
  if (!tile) {
    throw fail(id, 'properties.odc:region_code', 'is missing (no MGRS tile in odc:region_code, grid:code, mgrs:*, sentinel:* or the product name)');
  }
  const family = sceneFamily(stac.collection);
  const baseline = processingBaseline(props, id);
  const boaApplied = boaOffsetApplied(props);
  const itemEpsg = epsgOf(props);

  const bands: Partial<Record<BandName, SceneBand>> = {};
  for (const [name, { key, asset }] of bandAssets(stac)) {
    const field = (f: string) => `assets.${key}.${f}`;
    const shape = asset['proj:shape'];
    if (!shape) throw fail(id, field('proj:shape'), 'is missing');
    const transform = asset['proj:transform'];
    if (!transform) throw fail(id, field('proj:transform'), 'is missing');
    const epsg = epsgOf(asset) ?? itemEpsg;
    if (epsg === null) throw fail(id, field('proj:epsg'), 'is missing (and the item has no properties.proj:epsg)');
    const rasterBand = rasterBandOf(id, key, asset);
    const { scale, offset } = dnConversion({
      band: name,
      family,
      rasterBand,
      processingBaseline: baseline,
      boaOffsetApplied: boaApplied,
      date,
    });
    const affine = toAffine(transform);
    bands[name] = {
      name,
      assetKey: key,
      href: asset.href,
      epsg,
      shape: [shape[0], shape[1]],
      transform: affine,
      resolution: Math.abs(affine[0]),
      scale,
      offset,
      nodata: nodataOf(rasterBand?.nodata),
    };
  }

  const epsg = itemEpsg ?? mostCommonEpsg(Object.values(bands));
  if (epsg === null) throw fail(id, 'properties.proj:epsg', 'is missing (and no band asset has proj:epsg)');

  const geometry = stac.geometry as SceneGeometry;
  const b = stac.bbox;
  const bbox: [number, number, number, number] = b
    ? b.length === 6 ? [b[0], b[1], b[3], b[4]] : [b[0], b[1], b[2], b[3]]
    : bboxOf(geometry);
  const cloud = props['eo:cloud_cover'];
  const platform = props.platform;

  const ordered: Partial<Record<BandName, SceneBand>> = {};
  for (const name of BAND_NAMES) if (bands[name]) ordered[name] = bands[name];

  return deepFreeze({
    id,
    collection: stac.collection,
    label: typeof props.title === 'string' && props.title !== '' ? props.title : id,
    datetime,
    date,
    tile,
    epsg,
    cloudCover: typeof cloud === 'number' && cloud >= 0 ? cloud : null,
    platform: typeof platform === 'string' ? platform.toLowerCase() : null,
    processingBaseline: baseline,
    boaOffsetApplied: boaApplied,
    family,
    geometry: structuredClone(geometry),
    bbox,
    bands: ordered,
  });
}

function mostCommonEpsg(bands: readonly SceneBand[]): number | null {
  const counts = new Map<number, number>();
  for (const b of bands) counts.set(b.epsg, (counts.get(b.epsg) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [epsg, n] of counts) {
    if (n > bestCount) {
      best = epsg;
      bestCount = n;
    }
  }
  return best;
}
