/**
 * Extracts Zimbabwe's boundary from Natural Earth 1:10m (public domain, via the `world-atlas` npm package) into
 * `shared/contract/generated/zimbabwe.json`, which `shared/contract/zimbabwe.ts` imports.
 *
 * Runs as `npm run gen` (before build, test and start). The output is gitignored and derived only from the
 * installed package, so it is never hand-typed. Idempotent: the file is rewritten only when its content changes.
 *
 * Usage: `tsx scripts/extract-boundary.ts [outFile]` (default `shared/contract/generated/zimbabwe.json`).
 *
 * Notes on the source: world-atlas quantises coordinates to a grid of about 0.0036° lon × 0.0017° lat
 * (≈ 380 m × 190 m in Zimbabwe), so the border is accurate to a few hundred metres. Coordinates are rounded
 * to 6 decimals (≈ 0.1 m, far below that grid) and rings are rewound to RFC 7946 order (exterior
 * counter-clockwise), which topojson-client does not do.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

/** ISO 3166-1 numeric code of Zimbabwe: the feature id in world-atlas. */
export const ZIMBABWE_ISO_NUMERIC = '716';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run gen` writes the boundary. */
export const DEFAULT_OUT_FILE = resolve(ROOT, 'shared/contract/generated/zimbabwe.json');

/** Decimals kept in coordinates (degrees): 1e-6° ≈ 0.1 m. */
const DECIMALS = 6;

/** What {@link extractBoundary} did. */
export interface ExtractResult {
  outFile: string;
  /** False when the file already held exactly this content. */
  written: boolean;
  /** Number of positions in all rings. */
  vertices: number;
  /** `[minLon, minLat, maxLon, maxLat]` in degrees. */
  bbox: [number, number, number, number];
  source: string;
}

/** Twice the signed planar area of a ring (positive when counter-clockwise), in square degrees. */
function signedArea2(ring: Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s;
}

/** Rounds positions to `decimals` and drops those that repeat the previous one (shared with extract-basemap). */
export function roundPositions(positions: Position[], decimals = DECIMALS): Position[] {
  const f = 10 ** decimals;
  const out: Position[] = [];
  for (const p of positions) {
    const q = [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/** Rounds, drops repeated positions, keeps the ring closed and orients it (CCW exterior, CW holes). */
function cleanRing(ring: Position[], exterior: boolean, decimals: number): Position[] {
  const out = roundPositions(ring, decimals);
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  const ccw = signedArea2(out) > 0;
  return ccw === exterior ? out : out.reverse();
}

/** {@link roundPositions} on every ring of a polygon, closed and in RFC 7946 order (shared with extract-basemap). */
export const cleanPolygon = (rings: Position[][], decimals = DECIMALS): Position[][] => rings.map((r, i) => cleanRing(r, i === 0, decimals));

/** The installed world-atlas' version and one of its TopoJSON files, e.g. `countries-10m.json`. */
export async function loadWorldAtlas(file: string): Promise<{ topology: Topology; version: string }> {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('world-atlas/package.json');
  const { version } = JSON.parse(await readFile(pkgFile, 'utf8')) as { version: string };
  const topology = JSON.parse(await readFile(resolve(dirname(pkgFile), file), 'utf8')) as Topology;
  return { topology, version };
}

/** Writes `text` to `outFile` (creating folders) unless the file already holds exactly it; true when written. */
export async function writeIfChanged(outFile: string, text: string): Promise<boolean> {
  let current: string | undefined;
  try {
    current = await readFile(outFile, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return false;
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, text);
  return true;
}

/**
 * Reads world-atlas' `countries-10m.json`, extracts Zimbabwe and writes it as one GeoJSON Feature with
 * `properties {name, source, licence}` and a `bbox`.
 *
 * @example
 * await extractBoundary({ outFile: '/tmp/zimbabwe.json' });
 */
export async function extractBoundary(opts: { outFile?: string } = {}): Promise<ExtractResult> {
  const outFile = resolve(opts.outFile ?? DEFAULT_OUT_FILE);
  const { topology, version } = await loadWorldAtlas('countries-10m.json');
  const countries = topology.objects.countries as GeometryCollection<{ name: string }>;
  const geometry = countries.geometries.find((g) => String(g.id) === ZIMBABWE_ISO_NUMERIC);
  if (!geometry) throw new Error(`world-atlas@${version} countries-10m.json has no feature with id ${ZIMBABWE_ISO_NUMERIC}`);
  const raw = feature(topology, geometry) as Feature<Polygon | MultiPolygon>;
  if (raw.geometry.type !== 'Polygon' && raw.geometry.type !== 'MultiPolygon') {
    throw new Error(`Zimbabwe in world-atlas@${version} is a ${(raw.geometry as { type: string }).type}, expected a Polygon or MultiPolygon`);
  }

  const geom: Polygon | MultiPolygon = raw.geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: cleanPolygon(raw.geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: raw.geometry.coordinates.map(cleanPolygon) };
  const positions = (geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates).flat(2);
  const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of positions) {
    bbox[0] = Math.min(bbox[0], lon);
    bbox[1] = Math.min(bbox[1], lat);
    bbox[2] = Math.max(bbox[2], lon);
    bbox[3] = Math.max(bbox[3], lat);
  }

  const source = `Natural Earth 1:10m via world-atlas@${version}`;
  const out = {
    type: 'Feature',
    id: ZIMBABWE_ISO_NUMERIC,
    properties: { name: 'Zimbabwe', source, licence: 'public domain' },
    bbox,
    geometry: geom,
  };
  const written = await writeIfChanged(outFile, `${JSON.stringify(out)}\n`);
  return { outFile, written, vertices: positions.length, bbox, source };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const started = performance.now();
  extractBoundary({ outFile: process.argv[2] }).then(
    (r) => {
      const ms = Math.round(performance.now() - started);
      console.log(`${r.written ? 'wrote' : 'unchanged'} ${r.outFile} (${r.vertices} vertices, ${r.source}, ${ms} ms)`);
    },
    (err: unknown) => {
      console.error(`extract-boundary: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
