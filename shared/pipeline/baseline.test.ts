/**
 * The baseline alone (what the app shows the moment a run starts) is the very layer the run computes on the same
 * grid, and a catalogue that fails gives a warning, not an error. On the small demo world, served in-process.
 */
import { describe, expect, it } from 'vitest';
import { ndviRuleModel as model, useSmallDemo } from '../../server/pipeline/testing/small-demo';
import { parseJobRequest } from '../contract/job';
import { requestBaseline } from './baseline';
import { run } from './run';

const smallDemo = useSmallDemo();
const request = parseJobRequest({ aoi: { lon: 30.0, lat: -17.8, radius_m: 900 }, year: 2022, outputs: { baseline: true } });

describe('requestBaseline', () => {
  it('gives the run\'s own baseline layer and area mask, without reading a scene', async () => {
    const demo = smallDemo();
    const paths: string[] = [];
    const fetch: typeof demo.fetch = (url, init) => {
      paths.push(new URL(url).pathname);
      return demo.fetch(url, init);
    };
    const env = { fetch, stacUrl: demo.stacUrl, s3HttpsTemplate: demo.s3HttpsTemplate };
    const alone = await requestBaseline(request, env, 80);
    expect(alone.outcome.layer).toMatchObject({ source: 'crop_mask_southeast', year: 2023 });
    expect(paths.some((p) => /sentinel-2|s2_l2a/.test(p))).toBe(false);
    const full = await run(request, { ...env, fetch: demo.fetch, model }, { resolution: 80, writeFiles: false });
    expect(alone.grid).toEqual(full.grid);
    expect(alone.aoiMask).toEqual(full.layers.aoiMask);
    expect(alone.outcome.layer!.data).toEqual(full.layers.baseline);
    expect(alone.outcome.layer!.data.some((v) => v === 1)).toBe(true);
  }, 120_000);

  it('says why there is no baseline when the catalogue fails', async () => {
    const demo = smallDemo();
    const down: typeof demo.fetch = async () => new Response('down', { status: 500 });
    const r = await requestBaseline(request, { fetch: down, stacUrl: demo.stacUrl, s3HttpsTemplate: demo.s3HttpsTemplate, retry: { attempts: 1 } }, 80);
    expect(r.outcome.layer).toBeNull();
    expect(r.outcome.warning).toMatch(/No baseline: searching crop_mask_southeast failed/);
    expect(r.aoiMask.some((v) => v === 1)).toBe(true);
  });
});
