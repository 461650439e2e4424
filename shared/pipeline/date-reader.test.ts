/**
 * Dates read by several readers — each with its own reader context, as Workers have, results crossing a structured
 * clone with their buffers transferred, as `postMessage` does, finishing out of date order — give the very run
 * the default in-thread reader gives: class maps, feature planes, written files and byte counters, bit for bit.
 * On the small demo world of server/pipeline/pipeline.test.ts, served in-process.
 */
import { describe, expect, it } from 'vitest';
import { nodeDeflate } from '../../server/pipeline/node-env';
import { ndviRuleModel as model, useSmallDemo } from '../../server/pipeline/testing/small-demo';
import { parseJobRequest } from '../contract/job';
import { createDateReader, dateResultTransferables, type DateReader, type DateReaderFactory, type DateResult } from './date-reader';
import { run } from './run';
import type { PipelineEnv, RunResult } from './types';

const smallDemo = useSmallDemo();

const request = parseJobRequest({ job_id: 'date-readers', aoi: { lon: 30.0, lat: -17.8, radius_m: 900 }, year: 2022, outputs: { monthly: true, indices: ['ndvi_peak', 'savi_peak'] } }, { now: new Date('2026-11-23T00:00:00Z') });

function env(over: Partial<PipelineEnv> = {}): PipelineEnv {
  const demo = smallDemo();
  return { fetch: demo.fetch, stacUrl: demo.stacUrl, s3HttpsTemplate: demo.s3HttpsTemplate, model, deflate: nodeDeflate, ...over };
}

/**
 * A stand-in for a pool of `size` Workers: each has its own reader built from a structured clone of the setup;
 * date i goes to worker i mod size after a delay that makes later dates finish first; results come back as
 * `postMessage` would bring them.
 */
function pool(size: number, finished: number[]): DateReaderFactory {
  return (setup) => {
    const workers: DateReader[] = Array.from({ length: size }, () => createDateReader(structuredClone(setup), { fetch: smallDemo().fetch }));
    return {
      async read(date, dateIndex, signal) {
        await new Promise((r) => setTimeout(r, 40 * ((dateIndex + 1) % 3)));
        const result = await workers[dateIndex % size].read(date, dateIndex, signal);
        const copy: DateResult = structuredClone(result, { transfer: dateResultTransferables(result) });
        if (result.observation) expect(result.observation.bands.red!.byteLength).toBe(0); // moved, not copied
        finished.push(dateIndex);
        return copy;
      },
      close: () => workers.forEach((w) => w.close()),
    };
  };
}

/** Everything a run produces except timings and its creation time. */
function comparable(r: RunResult) {
  const { timings_ms: _t, created: _c, observations, ...manifest } = r.manifest;
  const files = Object.fromEntries(Object.entries(r.files).filter(([name]) => name !== 'manifest.json'));
  return { manifest: { ...manifest, observations: { ...observations, fold_ms: 0 } }, files };
}

function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

describe('dates read across several readers', () => {
  it('give a run identical to the in-thread reader, whatever the order dates finish in', async () => {
    const serial = await run(request, env({ readConcurrency: 1 }));
    const finished: number[] = [];
    const spread = await run(request, env({ readConcurrency: 4, dateReaders: pool(2, finished) }));
    expect([...finished].sort((x, y) => x - y)).toEqual(finished.map((_, i) => i));
    expect(finished).not.toEqual([...finished].sort((x, y) => x - y)); // really out of order
    expect(serial.manifest.observations.dates).toBeGreaterThan(5);
    const { layers: a } = serial;
    const { layers: b } = spread;
    for (const [name, x, y] of [
      ['refined', a.refined, b.refined], ['confidence', a.confidence, b.confidence], ['features', a.features.data, b.features.data],
      ['valid', a.features.valid, b.features.valid], ['obsCount', a.features.obsCount, b.features.obsCount], ['ndvi series', a.features.ndviSeries.values, b.features.ndviSeries.values],
      ...a.features.monthly!.map((m, k) => [`monthly ${m.month}`, m.rgb, b.features.monthly![k].rgb] as const),
    ] as const) expect(sameBits(x, y), name).toBe(true);
    const [ca, cb] = [comparable(serial), comparable(spread)];
    expect(Object.keys(cb.files).sort()).toEqual(Object.keys(ca.files).sort());
    for (const f of Object.keys(ca.files)) expect(sameBits(ca.files[f], cb.files[f]), f).toBe(true);
    // Bytes and requests of every reader add up to the serial run's.
    expect(cb.manifest).toEqual(ca.manifest);
  }, 240_000);
});
