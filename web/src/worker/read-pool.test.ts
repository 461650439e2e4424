/**
 * The reading pool over comlink, with each "Worker" the real reading-Worker API behind a MessageChannel (the
 * browser tests run it in real Workers): a run over the pool is bit for bit the in-thread run, every request goes
 * through the run's fetch, a network TypeError keeps its class across (the CORS fallback depends on it), cancelling
 * stops the requests, and a Worker that dies fails the run with a clear error and leaves later runs to the pipeline
 * Worker's own thread. On the small demo world, served in-process.
 */
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { isGeoCropError } from '../../../shared/contract/errors';
import { parseJobRequest } from '../../../shared/contract/job';
import type { FetchFn } from '../../../shared/net/fetch-retry';
import { run } from '../../../shared/pipeline/run';
import type { PipelineEnv } from '../../../shared/pipeline/types';
import { ndviRuleModel as model, useSmallDemo } from '../../../server/pipeline/testing/small-demo';
import { createReadPool, type ReadPool, type ReadWorkerEndpoint } from './read-pool';
import { createReadWorkerApi } from './read-worker-api';

const smallDemo = useSmallDemo();

const request = parseJobRequest({ job_id: 'read-pool', aoi: { lon: 30.0, lat: -17.8, radius_m: 900 }, year: 2022 }, { now: new Date('2026-12-05T00:00:00Z') });

/** A "Worker": the reading API exposed on one end of a MessageChannel. `fail()` makes it die as a Worker would. */
function channelWorker(): ReadWorkerEndpoint & { fail(): void; terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  expose(createReadWorkerApi(), port1);
  const worker = Object.assign(port2, {
    terminated: false,
    terminate() {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
    fail() {
      port2.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    },
  });
  return worker;
}

/** A fetch that counts COG range requests, and those still open. */
function counting(fetch: FetchFn) {
  const c = { ranges: 0, open: 0, fetch: (async (url, init) => {
    const range = new Headers(init?.headers).has('range');
    if (range) c.ranges++;
    c.open++;
    try {
      return await fetch(url, init);
    } finally {
      c.open--;
    }
  }) as FetchFn };
  return c;
}

function env(fetch: FetchFn, pool?: ReadPool, over: Partial<PipelineEnv> = {}): PipelineEnv {
  const dateReaders = pool?.readers(fetch);
  return { fetch, stacUrl: smallDemo().stacUrl, s3HttpsTemplate: smallDemo().s3HttpsTemplate, model, ...(dateReaders && { dateReaders, readConcurrency: 4 }), ...over };
}

const same = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe('reading pool', () => {
  it('gives the in-thread run bit for bit, its requests all through the run\'s fetch', async () => {
    const serial = await run(request, env(smallDemo().fetch), { writeFiles: false });
    const workers: ReturnType<typeof channelWorker>[] = [];
    const pool = createReadPool({ size: 2, spawn: () => (workers.push(channelWorker()), workers.at(-1)!) });
    try {
      const seen = counting(smallDemo().fetch);
      const pooled = await run(request, env(seen.fetch, pool), { writeFiles: false });
      expect(workers).toHaveLength(2);
      expect(same(pooled.layers.refined, serial.layers.refined)).toBe(true);
      expect(same(pooled.layers.features.data, serial.layers.features.data)).toBe(true);
      expect(same(pooled.layers.features.ndviSeries.values, serial.layers.features.ndviSeries.values)).toBe(true);
      expect(pooled.manifest.bytes).toEqual(serial.manifest.bytes);
      expect(pooled.manifest.scenes).toEqual(serial.manifest.scenes);
      // Every COG read the manifest counts went through the run's fetch.
      expect(seen.ranges).toBe(serial.manifest.bytes.requests);
      // A second run reuses the same Workers.
      const again = await run(request, env(smallDemo().fetch, pool), { writeFiles: false });
      expect(same(again.layers.refined, serial.layers.refined)).toBe(true);
      expect(workers).toHaveLength(2);
    } finally {
      pool.terminate();
    }
    expect(workers.every((w) => w.terminated)).toBe(true);
  }, 120_000);

  it('keeps a network failure a TypeError across, so reads fall back to the proxy', async () => {
    const proxyTemplate = 'http://proxy.test/api/proxy?url={url}';
    let proxied = 0;
    const blocked: FetchFn = async (url, init) => {
      if (!url.startsWith('http://proxy.test/')) {
        if (new Headers(init?.headers).has('range')) throw new TypeError('Failed to fetch'); // what a CORS refusal looks like
        return smallDemo().fetch(url, init);
      }
      proxied++;
      return smallDemo().fetch(new URL(url).searchParams.get('url')!, init);
    };
    const pool = createReadPool({ size: 2, spawn: channelWorker });
    try {
      const serial = await run(request, env(smallDemo().fetch), { writeFiles: false });
      const r = await run(request, env(blocked, pool, { proxyTemplate }), { writeFiles: false });
      expect(proxied).toBeGreaterThan(0);
      expect(same(r.layers.refined, serial.layers.refined)).toBe(true);
    } finally {
      pool.terminate();
    }
  }, 120_000);

  it('stops reading when the run is cancelled', async () => {
    const pool = createReadPool({ size: 2, spawn: channelWorker });
    try {
      const seen = counting(smallDemo().fetch);
      const controller = new AbortController();
      const p = run(request, env(seen.fetch, pool), {
        signal: controller.signal,
        writeFiles: false,
        onProgress: (e) => {
          if (e.stage === 'build_features' && (e.detail?.dates as number) >= 2) controller.abort();
        },
      });
      await expect(p).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen.open).toBe(0);
      const after = seen.ranges;
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.ranges).toBe(after);
    } finally {
      pool.terminate();
    }
  }, 120_000);

  it('fails the run clearly when a reading Worker dies, and reads in thread afterwards', async () => {
    const workers: ReturnType<typeof channelWorker>[] = [];
    const pool = createReadPool({ size: 2, spawn: () => (workers.push(channelWorker()), workers.at(-1)!) });
    const slow: FetchFn = async (url, init) => {
      await new Promise((r) => setTimeout(r, 20));
      return smallDemo().fetch(url, init);
    };
    const p = run(request, env(slow, pool), { writeFiles: false, onProgress: (e) => e.stage === 'build_features' && workers[0]?.fail() });
    const err = await p.then(() => null, (e: unknown) => e);
    expect(isGeoCropError(err) && err.code).toBe('INTERNAL');
    expect((err as Error).message).toMatch(/reading Worker stopped \(out of memory\)/);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(pool.readers(smallDemo().fetch)).toBeUndefined();
    pool.terminate();
  }, 120_000);
});
