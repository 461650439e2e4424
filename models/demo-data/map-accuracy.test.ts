/**
 * The accuracy proof: the demo model's refined map against ground truth on demo-world AOIs never used in
 * development — a world of its own seed and region (not the training world, not the default world), both
 * seasons, one AOI straddling 30°E (scenes from UTM 35S and 36S mosaicked), overall accuracy ≥ 0.90 over pixels
 * with at least one clear observation. Per-class accuracy is printed for the record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJobRequest } from '../../shared/contract/job';
import { run } from '../../shared/pipeline/run';
import { generateWorld } from '../../server/demo-world/generate';
import { DEFAULT_CONFIG, type WorldConfig } from '../../server/demo-world/world-config';
import { demoInProcess } from '../../server/pipeline/demo';
import { loadModel, type LoadedModel } from '../../server/pipeline/model';
import { nodePipelineEnv } from '../../server/pipeline/node-env';
import { mapAccuracy } from './map-accuracy';

const TEST_WORLD: WorldConfig = { ...DEFAULT_CONFIG, seed: 99, centre: [30.0, -18.35], halfWidthM: 3200, halfHeightM: 2600, seasons: [2022, 2023] };
const AOIS = [
  { lon: 30.0, lat: -18.35, radius_m: 1500, note: 'straddles 30°E' },
  { lon: 29.985, lat: -18.345, radius_m: 1000, note: 'west of 30°E (UTM 35S centre)' },
  { lon: 30.015, lat: -18.36, radius_m: 1000, note: 'east of 30°E' },
];

let dir: string;
let loaded: LoadedModel;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'geocrop-accuracy-'));
  await generateWorld({ dir, config: TEST_WORLD });
  loaded = await loadModel('croptype-demo');
}, 600_000);

afterAll(async () => {
  await loaded?.release();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('croptype-demo accuracy on an unseen demo world', () => {
  for (const year of TEST_WORLD.seasons) {
    for (const aoi of AOIS) {
      it(`OA ≥ 0.90, season ${year}, ${aoi.note}`, async () => {
        const request = parseJobRequest({ aoi: { lon: aoi.lon, lat: aoi.lat, radius_m: aoi.radius_m }, year, outputs: { baseline: false, true_color: false, indices: [] } });
        const demo = demoInProcess(dir);
        const env = nodePipelineEnv({ fetch: demo.fetch, stacUrl: demo.stacUrl, s3Template: demo.s3HttpsTemplate, model: loaded });
        const result = await run(request, env, { writeFiles: false });
        const acc = mapAccuracy(result, TEST_WORLD);
        const rows = acc.perClass.filter((c) => c.support > 0).map((c) => `${c.name} PA ${(100 * c.producers).toFixed(1)} UA ${(100 * c.users).toFixed(1)} (n=${c.support})`);
        console.log(`season ${year} ${aoi.note}: OA ${(100 * acc.metrics.overallAccuracy).toFixed(2)} % over ${acc.metrics.n} px; ${rows.join('; ')}`);
        expect(acc.metrics.n).toBeGreaterThan(0.8 * result.manifest.pixels.aoi);
        expect(acc.metrics.overallAccuracy).toBeGreaterThanOrEqual(0.9);
      }, 300_000);
    }
  }
});
