/**
 * The demo world end to end on a small world (same code as the default one, a 3 km × 2.4 km region over one
 * season): files in DEA's layout that GDAL validates as COGs, items the real-item parser reads, DN encodings per
 * collection and baseline, clouds reflected in SCL, ground truth and crop mask.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromArrayBuffer } from 'geotiff';
import { CLASS_NAMES, classCode } from '../../shared/contract/classes';
import { parseSceneItem } from '../../shared/stac';
import { stacItemSchema } from '../../shared/stac/schema';
import { generateWorld, readManifest, type WorldManifest } from './generate';
import { gdalCheck, HAVE_GDAL } from './testing/gdal';
import { DEMO_BUCKET, DEFAULT_CONFIG, type WorldConfig } from './world-config';
import { renderAcquisition } from './acquisition';
import { buildWorldModel } from './world-model';
import { wrongFlagKey } from './generate';

export const SMALL_WORLD: WorldConfig = { ...DEFAULT_CONFIG, seed: 7, halfWidthM: 1500, halfHeightM: 1200, overlapM: 600, seasons: [2022] };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

type Item = { id: string; collection: string; properties: Record<string, unknown>; assets: Record<string, { href: string }> };
const readItems = (file: string): Item[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Item);
const hrefPath = (dir: string, href: string) => path.join(dir, 's3', href.replace(/^s3:\/\//, ''));

async function readBand(file: string): Promise<Uint16Array> {
  const buf = readFileSync(file);
  const tiff = await fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return ((await (await tiff.getImage()).readRasters()) as unknown as Uint16Array[])[0];
}

async function meanDn(file: string): Promise<number> {
  let s = 0, n = 0;
  for (const v of await readBand(file)) if (v) { s += v; n++; }
  return s / n;
}

/** The DN below which `q` of the valid pixels lie. */
async function quantileDn(file: string, q: number): Promise<number> {
  const v = Array.from(await readBand(file)).filter((x) => x > 0).sort((a, b) => a - b);
  return v[Math.floor(q * (v.length - 1))];
}

describe('demo world (small)', () => {
  let dir: string;
  let manifest: WorldManifest;
  let items: Item[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'geocrop-world-'));
    manifest = await generateWorld({ dir, config: SMALL_WORLD, workers: 2 });
    items = readItems(path.join(dir, 'stac', 'items-2022.ndjson'));
  }, 300_000);

  it('writes every acquisition of both tiles, in both collections where they overlap', () => {
    expect(manifest.tiles.map((t) => t.id)).toEqual(['35KRA', '36KSF']);
    const c1 = items.filter((i) => i.collection === 's2_l2a_c1');
    const legacy = items.filter((i) => i.collection === 's2_l2a');
    expect(c1.length + legacy.length).toBe(items.length);
    expect(legacy.every((i) => String(i.properties.datetime) <= '2023-02')).toBe(true);
    expect(c1.every((i) => String(i.properties.datetime) >= '2023-01')).toBe(true);
    expect(manifest.seasons['2022'].scenes).toBe(110);
    expect(readManifest(dir)).toEqual(manifest);
  });

  it('is deterministic: re-rendering a date reproduces its files byte for byte', () => {
    const world = buildWorldModel(SMALL_WORLD);
    const other = mkdtempSync(path.join(os.tmpdir(), 'geocrop-again-'));
    const item = items.find((i) => i.collection === 's2_l2a_c1')!;
    const date = String(item.properties.datetime).slice(0, 10);
    const dateIndex = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.UTC(2017, 0, 2)) / (5 * 86_400_000));
    renderAcquisition(world, other, { year: 2022, date, dateIndex, wrongFlagKey: wrongFlagKey(world) });
    for (const a of Object.values(item.assets)) {
      expect(readFileSync(hrefPath(other, a.href)).equals(readFileSync(hrefPath(dir, a.href)))).toBe(true);
    }
  });

  it('serves items the real-DEA parser reads, with the right DN rules per collection', () => {
    for (const raw of items) {
      expect(stacItemSchema.safeParse(raw).success).toBe(true);
      const s = parseSceneItem(raw);
      expect(['35KRA', '36KSF']).toContain(s.tile);
      expect(s.bands.red!.resolution).toBe(10);
      expect(s.bands.swir16!.resolution).toBe(20);
      expect(s.bands.scl!.resolution).toBe(20);
      expect(s.bands.red!.href.startsWith(`s3://${DEMO_BUCKET}/`)).toBe(true);
      if (s.family === 'c1') expect(s.bands.red!.offset).toBeCloseTo(-0.1, 10);
      if (s.family === 'legacy' && s.processingBaseline! < '04.00') expect(s.bands.red!.offset).toBe(0);
    }
  });

  it('encodes the same reflectance in c1 and legacy scenes of one date (DN differ by the BOA offset)', async () => {
    const c1 = items.find((i) => i.collection === 's2_l2a_c1' && String(i.properties.datetime) < '2023-02')!;
    const legacy = items.find((i) => i.collection === 's2_l2a' && i.properties.datetime === c1.properties.datetime && i.properties['odc:region_code'] === c1.properties['odc:region_code'])!;
    expect(legacy).toBeDefined();
    const a = await meanDn(hrefPath(dir, c1.assets.red.href));
    const b = await meanDn(hrefPath(dir, legacy.assets.B04.href));
    const legacyOffset = legacy.properties['sentinel:boa_offset_applied'] === false ? 1000 : 0;
    expect(a - b).toBeCloseTo(1000 - legacyOffset, 6);
  });

  it('has one legacy scene whose boa_offset_applied flag is wrong, as real archives do', async () => {
    const [tile, date] = manifest.anomalies.wrongBoaFlag!.split(':');
    const liar = items.find((i) => i.collection === 's2_l2a' && i.properties['odc:region_code'] === tile && String(i.properties.datetime).startsWith(date))!;
    expect(liar.properties['sentinel:boa_offset_applied']).toBe(true);
    // Its DN still carry +1000: even the darkest red pixels (water, shadow) read as reflectance > 0.1.
    expect(await quantileDn(hrefPath(dir, liar.assets.B04.href), 0.01)).toBeGreaterThan(1000);
    const truthful = items.filter((i) => i !== liar && i.collection === 's2_l2a' && i.properties['sentinel:boa_offset_applied'] === true && Number(i.properties['eo:cloud_cover']) < 5);
    expect(await quantileDn(hrefPath(dir, truthful[0].assets.B04.href), 0.01)).toBeLessThan(1000);
    const notApplied = items.filter((i) => i.collection === 's2_l2a' && i.properties['sentinel:boa_offset_applied'] === false);
    expect(notApplied.length).toBeGreaterThan(0);
  });

  it('has a rainy season that is mostly cloudy and a dry season that is mostly clear', () => {
    const cover = (m: string[]) => items.filter((i) => i.collection === 's2_l2a_c1' || String(i.properties.datetime) < '2023-01').filter((i) => m.includes(String(i.properties.datetime).slice(5, 7))).map((i) => Number(i.properties['eo:cloud_cover']));
    const wet = cover(['12', '01', '02']);
    const dry = cover(['09', '10', '05']);
    expect(wet.filter((c) => c > 50).length / wet.length).toBeGreaterThan(0.4);
    expect(dry.filter((c) => c < 10).length / dry.length).toBeGreaterThan(0.6);
  });

  it('reflects clouds in SCL: cloudy pixels are SCL 8/9 and bright', async () => {
    const cloudy = items.find((i) => i.collection === 's2_l2a_c1' && Number(i.properties['eo:cloud_cover']) > 15 && Number(i.properties['eo:cloud_cover']) < 60)!;
    const load = async (href: string) => {
      const buf = readFileSync(hrefPath(dir, href));
      const img = await (await fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))).getImage();
      return (await img.readRasters())[0] as unknown as ArrayLike<number>;
    };
    const scl = await load(cloudy.assets.scl.href);
    const swir = await load(cloudy.assets.swir16.href);
    let cloudN = 0, cloudSum = 0, clearN = 0, clearSum = 0;
    for (let i = 0; i < scl.length; i++) {
      if (scl[i] === 9) { cloudN++; cloudSum += swir[i]; } else if (scl[i] === 4 || scl[i] === 5) { clearN++; clearSum += swir[i]; }
    }
    const pct = (100 * Array.from(scl).filter((v) => v === 8 || v === 9 || v === 10).length) / scl.length;
    expect(pct).toBeCloseTo(Number(cloudy.properties['eo:cloud_cover']), 1);
    expect(cloudN).toBeGreaterThan(0);
    expect(cloudSum / cloudN).toBeGreaterThan(clearSum / clearN + 300);
    const sclValues = new Set<number>();
    for (const it of items.slice(0, 80)) for (const v of Array.from(await load(it.assets.scl?.href ?? it.assets.SCL.href))) sclValues.add(v);
    for (const v of [3, 4, 5, 6, 8, 9]) expect(sclValues).toContain(v);
  });

  it('writes ground truth (COG, GeoJSON, classes) and a crop mask that mostly agrees with it', async () => {
    const classes = JSON.parse(readFileSync(path.join(dir, 'truth', 'classes.json'), 'utf8'));
    expect(classes.classes.map((c: { name: string }) => c.name)).toEqual([...CLASS_NAMES]);
    const fields = JSON.parse(readFileSync(path.join(dir, 'truth', 'fields.geojson'), 'utf8'));
    expect(fields.features.length).toBeGreaterThan(20);
    for (const f of fields.features) expect(f.properties.code).toBe(classCode(f.properties.class));
    const masks = readItems(path.join(dir, 'stac', 'items-cropmask.ndjson'));
    expect(masks.map((m) => String(m.properties.datetime).slice(0, 4))).toEqual(['2023']);
    expect(parseInt(String(masks[0].properties['proj:epsg']), 10)).toBe(6933);
  });

  it.skipIf(!HAVE_GDAL)('passes GDAL’s COG validator for every file, with the CRS, transform and nodata the items say', () => {
    const tifs = walk(dir).filter((f) => f.endsWith('.tif'));
    expect(tifs.length).toBe(items.length * 11 + 3 + 1);
    const item = items.find((i) => i.collection === 's2_l2a_c1' && i.properties['odc:region_code'] === '35KRA')!;
    const red = hrefPath(dir, item.assets.red.href);
    const res = gdalCheck({ validate: tifs, sample: [{ path: red, points: [[0, 0], [5, 7]] }] });
    expect(res.invalid).toEqual({});
    const info = res.info[red];
    const t = (item.assets.red as unknown as { 'proj:transform': number[] })['proj:transform'];
    expect(info.epsg).toBe(32735);
    expect(info.geotransform).toEqual([t[2], t[0], 0, t[5], 0, t[4]]);
    expect(info.nodata).toBe(0);
    expect(info.overviews.length).toBeGreaterThan(0);
  });
});
