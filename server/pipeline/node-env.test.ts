import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../shared/contract/errors';
import type { PipelineModel } from '../../shared/pipeline/types';
import { createReaderContext } from '../../shared/raster/reader-context';
import { resolveHref } from '../../shared/raster/href';
import { defaultS3Template } from './classify';
import { demoInProcess } from './demo';
import { nodeDeflate, nodePipelineEnv } from './node-env';

// Only the fields the env passes through are read here; classification is covered by the pipeline tests.
const model = { id: 'm', version: '1.0.0', featureNames: [], classes: [] } as unknown as PipelineModel;

describe('nodePipelineEnv', () => {
  it('defaults to DE Africa (Explorer and the public buckets) with Node zlib for the COG writer', () => {
    const env = nodePipelineEnv({ model });
    expect(env.stacUrl).toBe('https://explorer.digitalearth.africa/stac');
    expect(resolveHref('s3://deafrica-sentinel-2/a/B04.tif', env.s3HttpsTemplate, env.baseUrl)).toBe('https://deafrica-sentinel-2.s3.af-south-1.amazonaws.com/a/B04.tif');
    expect(env.deflate).toBe(nodeDeflate);
    expect(env.model).toBe(model);
  });

  it('resolves a path template against the STAC server, as a GeoCrop server serves both', () => {
    const env = nodePipelineEnv({ model, stacUrl: 'http://127.0.0.1:9/demo/stac', s3Template: '/demo/s3/{bucket}/{key}' });
    const ctx = createReaderContext({ fetch: env.fetch, s3Template: env.s3HttpsTemplate, base: env.baseUrl });
    expect(resolveHref('s3://geocrop-demo-world/k/B04.tif', ctx.s3Template, ctx.base)).toBe('http://127.0.0.1:9/demo/s3/geocrop-demo-world/k/B04.tif');
  });

  it('deflates in zlib format that inflates back', () => {
    const data = new TextEncoder().encode('geocrop '.repeat(1000));
    const packed = nodeDeflate(data, 6);
    expect(packed.length).toBeLessThan(data.length / 10);
    expect(new Uint8Array(zlib.inflateSync(packed))).toEqual(data);
  });
});

describe('defaultS3Template', () => {
  it('follows a GeoCrop demo STAC to its demo object store, and keeps the configured template otherwise', () => {
    expect(defaultS3Template('http://127.0.0.1:8787/demo/stac', 'T')).toBe('http://127.0.0.1:8787/demo/s3/{bucket}/{key}');
    expect(defaultS3Template('https://geocrop.example/app/demo/stac/', 'T')).toBe('https://geocrop.example/app/demo/s3/{bucket}/{key}');
    expect(defaultS3Template('https://explorer.digitalearth.africa/stac', 'T')).toBe('T');
  });
});

describe('demoInProcess', () => {
  it('says how to generate a world when the folder has none', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geocrop-empty-'));
    try {
      expect(() => demoInProcess(dir)).toThrow(GeoCropError);
      expect(() => demoInProcess(dir)).toThrow(`No demo world in ${dir}: generate one with \`npm run world -- --out ${dir}\``);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
