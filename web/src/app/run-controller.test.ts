import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { CLASSES } from '../../../shared/contract/classes';
import { GeoCropError } from '../../../shared/contract/errors';
import type { RunResult } from '../../../shared/pipeline/types';
import type { RequestBaseline } from '../../../shared/pipeline/baseline';
import type { PipelineRunOptions, WorkerRunResult } from '../worker';
import type { RunSummary } from './history-store';
import { describeFailure, PREVIEW_HEAD_START_MS, PREVIEW_MAX_DATES, REFINE_MIN_CORES, RunController } from './run-controller';

function result(resolution: number, jobId = 'job-1'): RunResult {
  const grid = { epsg: 32736, transform: [resolution, 0, 0, 0, -resolution, 0] as const, width: 2, height: 1 };
  return {
    grid,
    layers: {
      refined: Uint8Array.from([0, 6]), classes: Uint8Array.from([0, 6]), confidence: Float32Array.from([1, 1]), aoiMask: Uint8Array.from([1, 1]),
      features: { names: [], pixels: 2, data: new Float32Array(0), valid: Uint8Array.from([1, 1]), obsCount: new Uint16Array(2), ndviSeries: { dates: [], values: new Int16Array(0) } },
    },
    manifest: { job_id: jobId, created: '2026-11-23T10:00:00Z', request: { aoi: { lon: 30, lat: -17.8, radius_m: 1000 } }, model: { id: 'croptype-demo' }, grid: { ...grid, resolution }, class_areas_ha: [], warnings: [] } as unknown as RunResult['manifest'],
    files: resolution === 10 ? { 'refined.tif': new Uint8Array(10) } : {},
  };
}

/** A client whose run resolves when the test says so, honouring the abort signal like the real one. */
function deferredClient() {
  const calls: { options: PipelineRunOptions; resolve(r: WorkerRunResult): void; reject(e: unknown): void }[] = [];
  return {
    calls,
    run: (_input: unknown, options: PipelineRunOptions) => new Promise<WorkerRunResult>((resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(options.signal!.reason));
      calls.push({ options, resolve, reject });
    }),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const REQUEST = { aoi: { lon: 30, lat: -17.8, radius_m: 1000 }, year: 2022 };

describe('RunController', () => {
  it('shows the preview, then replaces it with the full result, which the Worker keeps in the history', async () => {
    const main = deferredClient();
    const preview = deferredClient();
    let t = 0;
    const c = new RunController({ main, preview, now: () => t });
    const done = c.start(REQUEST, { source: 'demo', classes: CLASSES });
    expect(c.getState().phase).toBe('running');
    expect(preview.calls[0].options).toMatchObject({ source: 'demo', resolution: 80, maxDates: PREVIEW_MAX_DATES, writeFiles: false });
    // The 10 m run waits for the preview (two cores: both at once would delay the preview).
    expect(main.calls).toHaveLength(0);
    t = 2000;
    preview.calls[0].resolve(result(80));
    await tick();
    expect(c.getState()).toMatchObject({ phase: 'running', previewMs: 2000 });
    expect(c.getState().display?.resolution).toBe(80);
    expect(main.calls[0].options.resolution).toBeUndefined();
    expect(main.calls[0].options.keep).toBe(true);
    expect(preview.calls[0].options.keep).toBeUndefined(); // a preview is not a run to keep
    main.calls[0].options.onProgress?.({ stage: 'build_features', fraction: 0.5, message: 'Read 2 of 4 dates' });
    expect(c.getState().progress.rows[1]).toMatchObject({ state: 'running', message: 'Read 2 of 4 dates' });
    t = 9000;
    const kept: RunSummary = { id: 'job-1', created: '2026-11-23T10:00:00Z', request: REQUEST as RunSummary['request'], source: 'demo', modelId: 'croptype-demo', resolution: 10, classAreas: [], bytes: 1, seconds: 7 };
    main.calls[0].resolve({ ...result(10), kept });
    await done;
    const s = c.getState();
    expect(s).toMatchObject({ phase: 'done', fullMs: 9000 });
    expect(s.display?.resolution).toBe(10);
    expect(Object.keys(s.files ?? {})).toEqual(['refined.tif']);
    expect(s.saved).toBe(kept);
    expect(s.historyError).toBeUndefined();
  });

  it('shows the baseline at once, then lets the preview replace it; a late baseline replaces nothing', async () => {
    const main = deferredClient();
    const preview = deferredClient();
    const baselines: { options: Pick<PipelineRunOptions, 'resolution' | 'signal'>; resolve(b: RequestBaseline): void }[] = [];
    const baseline = (_input: unknown, options: Pick<PipelineRunOptions, 'resolution' | 'signal'>) => new Promise<RequestBaseline>((resolve) => baselines.push({ options, resolve }));
    let t = 0;
    const c = new RunController({ main: { run: main.run, baseline }, preview, now: () => t });
    void c.start(REQUEST, { source: 'demo', classes: CLASSES });
    expect(baselines[0].options.resolution).toBe(80);
    const grid = { epsg: 32736, transform: [80, 0, 0, 0, -80, 0] as const, width: 2, height: 1 };
    t = 300;
    baselines[0].resolve({ grid, aoiMask: Uint8Array.from([1, 1]), outcome: { layer: { data: Uint8Array.from([1, 0]), source: 'crop_mask_southeast', year: 2023, itemId: 'x' } } });
    await tick();
    const first = c.getState();
    expect(first).toMatchObject({ phase: 'running', baselineMs: 300 });
    expect(first.display).toMatchObject({ stage: 'baseline', resolution: 80 });
    expect([...first.display!.baseline!]).toEqual([1, 0]);
    preview.calls[0].resolve(result(80));
    await tick();
    expect(c.getState().display?.stage).toBeUndefined();
    expect(c.getState().display?.refined).toEqual(Uint8Array.from([0, 6]));

    // The next run: its baseline comes after its preview, and does not cover it up.
    void c.start(REQUEST, { source: 'demo', classes: CLASSES });
    expect(baselines[0].options.signal?.aborted).toBe(true); // the first run's was cancelled with it
    preview.calls[1].resolve(result(80));
    await tick();
    baselines[1].resolve({ grid, aoiMask: Uint8Array.from([1, 1]), outcome: { layer: null, warning: 'No baseline' } });
    await tick();
    expect(c.getState().display?.refined).toEqual(Uint8Array.from([0, 6]));
    c.cancel();
  });

  it('adds a 20 m preview beside the 10 m run where the cores allow, never over the 10 m result', async () => {
    const fast = { main: deferredClient(), preview: deferredClient() };
    const c = new RunController({ ...fast, cores: REFINE_MIN_CORES });
    const done = c.start(REQUEST, { source: 'demo', classes: CLASSES });
    fast.preview.calls[0].resolve(result(80));
    await tick();
    expect(fast.preview.calls[1].options).toMatchObject({ resolution: 20, maxDates: PREVIEW_MAX_DATES, writeFiles: false });
    expect(fast.main.calls).toHaveLength(1); // the 10 m run is not held back by it
    fast.preview.calls[1].resolve(result(20));
    await tick();
    expect(c.getState().display?.resolution).toBe(20);
    expect(c.getState().refineMs).toBeGreaterThanOrEqual(0);
    fast.main.calls[0].resolve(result(10));
    await done;
    expect(c.getState().display?.resolution).toBe(10);

    // The 10 m result first: the late 20 m preview is dropped.
    const again = c.start(REQUEST, { source: 'demo', classes: CLASSES });
    fast.preview.calls[2].resolve(result(80));
    await tick();
    fast.main.calls[1].resolve(result(10));
    await again;
    fast.preview.calls[3].resolve(result(20));
    await tick();
    expect(c.getState().display?.resolution).toBe(10);

    // Two cores: no 20 m run.
    const two = { main: deferredClient(), preview: deferredClient() };
    const small = new RunController({ ...two, cores: 2 });
    const end = small.start(REQUEST, { source: 'demo', classes: CLASSES });
    two.preview.calls[0].resolve(result(80));
    await tick();
    two.main.calls[0].resolve(result(10));
    await end;
    expect(two.preview.calls).toHaveLength(1);
  });

  it('starts the 10 m run after a head start when the preview is slow, and never lets the late preview replace it', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const main = deferredClient();
    const preview = deferredClient();
    const c = new RunController({ main, preview });
    const done = c.start(REQUEST, { source: 'demo', classes: CLASSES });
    await vi.advanceTimersByTimeAsync(PREVIEW_HEAD_START_MS);
    main.calls[0].resolve(result(10));
    await done;
    preview.calls[0].resolve(result(80));
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getState().display?.resolution).toBe(10);
  });

  it('cancels both runs and says so', async () => {
    const main = deferredClient();
    const preview = deferredClient();
    const c = new RunController({ main, preview });
    const done = c.start(REQUEST, { source: 'demo', classes: CLASSES });
    c.cancel();
    await done;
    expect(c.getState().phase).toBe('cancelled');
    expect(preview.calls[0].options.signal?.aborted).toBe(true);
    expect(main.calls).toHaveLength(0); // cancelled before the preview's head start ended

    const during = c.start(REQUEST, { source: 'demo', classes: CLASSES, preview: false });
    await tick();
    c.cancel();
    await during;
    expect(main.calls[0].options.signal?.aborted).toBe(true);
    expect(c.getState().phase).toBe('cancelled');
  });

  it('reports a failure in plain words, with the preview failure apart', async () => {
    const main = deferredClient();
    const preview = deferredClient();
    const c = new RunController({ main, preview });
    const done = c.start(REQUEST, { source: 'demo', classes: CLASSES });
    preview.calls[0].reject(new GeoCropError('READ_FAILED', 'overview missing'));
    await tick();
    expect(c.getState().previewError).toBe('overview missing');
    await tick();
    main.calls[0].reject(new GeoCropError('ALL_CLOUDY', 'No clear view of the area. Try another season.'));
    await done;
    expect(c.getState()).toMatchObject({ phase: 'failed', error: { code: 'ALL_CLOUDY', title: 'Too cloudy', message: 'No clear view of the area. Try another season.' } });
  });

  it('a new run supersedes the one in progress', async () => {
    const main = deferredClient();
    const c = new RunController({ main });
    const first = c.start(REQUEST, { source: 'demo', classes: CLASSES, preview: false });
    const second = c.start({ ...REQUEST, year: 2023 }, { source: 'demo', classes: CLASSES, preview: false });
    await first;
    await tick();
    expect(c.getState().phase).toBe('running');
    expect(main.calls).toHaveLength(1); // the superseded run never started its 10 m job
    main.calls[0].resolve(result(10, 'job-2'));
    await second;
    expect(c.getState()).toMatchObject({ phase: 'done', manifest: { job_id: 'job-2' } });
  });

  it('keeps the result when the history cannot store it, and says why', async () => {
    const main = deferredClient();
    const c = new RunController({ main });
    const done = c.start(REQUEST, { source: 'demo', classes: CLASSES, preview: false });
    await tick();
    main.calls[0].resolve({ ...result(10), keepError: 'The browser has no room to keep this run.' });
    await done;
    expect(c.getState()).toMatchObject({ phase: 'done', historyError: 'The browser has no room to keep this run.' });
  });
});

describe('describeFailure', () => {
  it('titles known codes and keeps the message that says what to do', () => {
    expect(describeFailure(new GeoCropError('NO_SCENES', 'No scenes; try 2022.'))).toEqual({ code: 'NO_SCENES', title: 'No satellite scenes for this area and season', message: 'No scenes; try 2022.' });
    expect(describeFailure(new GeoCropError('AOI_CROSSES_BORDER', 'x')).title).toBe('The area cannot be mapped');
    expect(describeFailure(new Error('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom. Try again; if it keeps failing, reload the page.' });
  });
});
