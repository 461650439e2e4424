import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { area, booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUT_FILE, extractBoundary } from './extract-boundary';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, 'extract-boundary.ts');

type Boundary = Feature<Polygon | MultiPolygon, { name: string; source: string; licence: string }> & { bbox: number[] };

describe('scripts/extract-boundary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'geocrop-boundary-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes to shared/contract/generated/zimbabwe.json by default', () => {
    expect(DEFAULT_OUT_FILE.replaceAll('\\', '/')).toMatch(/\/shared\/contract\/generated\/zimbabwe\.json$/);
  });

  it('runs as a CLI into a new nested folder and writes a sane Zimbabwe feature', async () => {
    const out = join(dir, 'nested', 'deeper', 'zimbabwe.json');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, out], { cwd: resolve(import.meta.dirname, '..') });
    expect(stdout).toMatch(/^wrote .*zimbabwe\.json \(\d+ vertices, Natural Earth 1:10m via world-atlas@\d+\.\d+\.\d+/);

    const f = JSON.parse(await readFile(out, 'utf8')) as Boundary;
    expect(f.type).toBe('Feature');
    expect(f.properties).toEqual({ name: 'Zimbabwe', source: expect.stringMatching(/^Natural Earth 1:10m via world-atlas@/), licence: 'public domain' });
    const pkg = JSON.parse(await readFile(resolve(import.meta.dirname, '../node_modules/world-atlas/package.json'), 'utf8')) as { version: string };
    expect(f.properties.source).toBe(`Natural Earth 1:10m via world-atlas@${pkg.version}`);
    expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    expect(area(f) / 1e6).toBeGreaterThan(390_000 * 0.97);
    expect(area(f) / 1e6).toBeLessThan(390_000 * 1.03);
    const [minLon, minLat, maxLon, maxLat] = f.bbox;
    expect(minLon).toBeGreaterThan(25.05);
    expect(minLon).toBeLessThan(25.35);
    expect(maxLon).toBeGreaterThan(32.95);
    expect(maxLon).toBeLessThan(33.25);
    expect(minLat).toBeGreaterThan(-22.65);
    expect(minLat).toBeLessThan(-22.35);
    expect(maxLat).toBeGreaterThan(-15.75);
    expect(maxLat).toBeLessThan(-15.45);
    expect(booleanPointInPolygon([31.05, -17.83], f)).toBe(true);
    expect(booleanPointInPolygon([28.28, -15.41], f)).toBe(false);
    expect(booleanPointInPolygon([30.0, -22.5], f)).toBe(false);
  });

  it('is idempotent: a second run leaves identical content and does not rewrite the file', async () => {
    const out = join(dir, 'again', 'zimbabwe.json');
    const first = await extractBoundary({ outFile: out });
    expect(first.written).toBe(true);
    const before = await readFile(out, 'utf8');
    const mtime = (await stat(out)).mtimeMs;
    const second = await extractBoundary({ outFile: out });
    expect(second.written).toBe(false);
    expect(await readFile(out, 'utf8')).toBe(before);
    expect((await stat(out)).mtimeMs).toBe(mtime);
    expect(second.vertices).toBe(first.vertices);
    expect(second.vertices).toBeGreaterThan(500);
  });
});
