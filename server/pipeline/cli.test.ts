/**
 * `npm run classify` end to end, as a child process: against a STAC API over a socket, against the demo world
 * in-process, and failing with `CODE: message`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../shared/pipeline/types';
import { readManifest } from '../demo-world/generate';
import { THRESHOLD_MODEL_ID, writeThresholdBundle } from './testing/threshold-model';
import { startWorldServer, type WorldServer } from './testing/world-server';

const REPO = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
const OUTPUTS = ['baseline.tif', 'confidence.tif', 'evi_peak.tif', 'manifest.json', 'ndvi_peak.tif', 'refined.tif', 'savi_peak.tif', 'truecolor.tif'];

let srv: WorldServer;
let tmp: string;
let models: string;

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npx tsx server/pipeline/cli.ts ...` does (the local tsx, without npx's startup). */
function classify(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(TSX, ['server/pipeline/cli.ts', ...args], { cwd: REPO, env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'geocrop-cli-test-'));
  models = path.join(tmp, 'models');
  [srv] = await Promise.all([startWorldServer(), writeThresholdBundle(models)]);
}, 240_000);

afterAll(async () => {
  await srv?.close();
  if (srv) rmSync(srv.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const area = () => ['--lon', '30.0', '--lat', '-17.8', '--year', '2022', '--model', THRESHOLD_MODEL_ID, '--models', models];

describe('npm run classify', () => {
  it('maps an area from a STAC API over a socket: exit 0, every file, progress on stderr, summary on stdout', async () => {
    const out = path.join(tmp, 'socket');
    const r = await classify([...area(), '--radius', '500', '--stac', `${srv.url}/demo/stac`, '--out', out, '--job-id', 'cli-socket']);
    expect(r.stderr).not.toMatch(/Warning|INTERNAL/);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(OUTPUTS);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as RunManifest;
    expect(m.job_id).toBe('cli-socket');
    expect(m.stac.url).toBe(`${srv.url}/demo/stac`);
    expect(m.request.aoi).toEqual({ lon: 30, lat: -17.8, radius_m: 500 });
    for (const stage of ['fetch_stac', 'build_features', 'load_baseline', 'infer', 'smooth', 'export_cog', 'done']) expect(r.stderr).toMatch(new RegExp(`s  ${stage} +\\d+%`));
    // The summary states the manifest's numbers.
    expect(r.stdout).toContain(`Files in ${out} (8, `);
    for (const c of m.class_areas_ha.filter((a) => a.pixels > 0)) expect(r.stdout).toMatch(new RegExp(`${c.name} +${c.hectares.toFixed(2)} ha`));
    expect(r.stdout).toContain(`Scenes: ${m.scenes.used.length} used`);
    expect(r.stdout).toContain(`in ${m.bytes.requests} requests`);
    expect(r.stdout).toMatch(/Time: \d+\.\d s/);
  }, 150_000);

  it('serves a demo world in-process when no --stac is given (tiny radius, 20 m, monthly), leaving that world as it was', async () => {
    const out = path.join(tmp, 'inproc');
    const before = readFileSync(path.join(srv.dir, 'world.json'), 'utf8');
    const requests = srv.log.length;
    const r = await classify([...area(), '--radius', '150', '--demo-dir', srv.dir, '--out', out, '--resolution', '20', '--monthly']);
    expect(r.code, r.stderr).toBe(0);
    const monthly = ['monthly_ndvi.tif', ...['sep', 'oct', 'nov', 'dec', 'jan', 'feb', 'mar', 'apr', 'may'].map((m) => `monthly_truecolor_${m}.tif`)];
    expect(readdirSync(out).sort()).toEqual([...OUTPUTS, ...monthly].sort());
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as RunManifest;
    expect(m.stac.url).toBe('http://demo.local/demo/stac');
    expect(m.grid.resolution).toBe(20);
    expect(r.stdout).toContain(`Source: demo world ${srv.dir} (in-process)`);
    expect(srv.log.length).toBe(requests);
    expect(readManifest(srv.dir)?.config.seed).toBe(7);
    expect(JSON.parse(readFileSync(path.join(srv.dir, 'world.json'), 'utf8'))).toEqual(JSON.parse(before));
  }, 150_000);

  it('fails with the code for a flag it does not know (exit 2, usage printed, nothing written)', async () => {
    const r = await classify([...area(), '--radius-m', '500']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^INVALID_REQUEST: Unknown flag --radius-m \(did you mean --radius\?\)\./m);
    expect(r.stderr).toContain('Usage: npm run classify --');
    expect(r.stdout).toBe('');
  }, 60_000);

  it('fails with AOI_OUTSIDE_ZIMBABWE for an area outside Zimbabwe, before loading anything', async () => {
    const out = path.join(tmp, 'never');
    const r = await classify(['--lon', '25.0', '--lat', '-25.0', '--radius', '500', '--year', '2022', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^AOI_OUTSIDE_ZIMBABWE: The AOI centre \(lon 25, lat -25\) is outside Zimbabwe.*choose a centre inside the country\.$/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('fails with MODEL_NOT_FOUND naming the models folder for a model that is not there', async () => {
    const r = await classify(['--lon', '30.0', '--lat', '-17.8', '--radius', '500', '--year', '2022', '--models', models, '--model', 'croptype-nope', '--stac', `${srv.url}/demo/stac`]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`MODEL_NOT_FOUND: No model bundle "croptype-nope" in ${models} (its index.json lists: ${THRESHOLD_MODEL_ID}): use one of those ids, or a models folder that has "croptype-nope".`);
  }, 60_000);
});
