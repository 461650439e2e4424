// The browser inference bench on a tiny batch, so it cannot rot: the real page built with Vite, served by the
// server's static and model routes over a socket, every bench target in a fresh module Worker of Debian's
// Chromium per thread count. Proves the Worker is cross-origin isolated and that 2 threads started onnxruntime's
// second thread (a thread Worker), while 1 thread started none; the numbers themselves are `npm run bench`'s job.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTargets, type BenchTarget } from '../targets';
import { browserBenchUnavailable, runBrowserBench } from './browser-bench';

const unavailable = browserBenchUnavailable();
if (unavailable) console.warn(`[models/bench/browser/browser-bench.browser.test.ts] SKIPPED: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)('browser inference bench (headless Chromium)', () => {
  let scratch: string;
  let targets: BenchTarget[];

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'geocrop-browser-bench-'));
    targets = await benchTargets(scratch);
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('measures every target on 1 and 2 wasm threads: positive finite rows/s, and 2 threads really are 2', async () => {
    const results = await runBrowserBench({ targets, threads: [1, 2], rows: 2048, batch: 1024, warmupMs: 100 });
    expect(results.map((r) => [r.model, r.threads])).toEqual(targets.flatMap((t) => [[t.id, 1], [t.id, 2]]));
    for (const r of results) {
      const what = `${r.model}, ${r.threads} thread(s)`;
      expect(r).toMatchObject({ runtime: 'chromium', rows: 2048, batch: 1024 });
      for (const v of [r.first_pass_rows_per_s, r.run_rows_per_s, r.classify_rows_per_s]) expect(Number.isFinite(v) && v > 0, `${what}: rows/s ${v}`).toBe(true);
      expect(Number.isFinite(r.open_ms) && r.open_ms >= 0, `${what}: open ${r.open_ms} ms`).toBe(true);
      const target = targets.find((t) => t.id === r.model)!;
      expect(r.bytes).toBe((await stat(path.join(target.root, target.id, 'model.onnx'))).size);
      // The bench page sends COOP/COEP: isolation is expected, and with it onnxruntime honours the thread count.
      expect(r.isolated, `${what}: Worker not cross-origin isolated`).toBe(true);
      expect(r.thread_workers, `${what}: onnxruntime's thread Workers`).toBe(r.threads - 1);
    }
  }, 300_000);

  it('stops with an AbortError when the signal fires during a measurement', async () => {
    const controller = new AbortController();
    const mlp = targets.filter((t) => !t.shipped);
    // The default 262,144 rows take seconds per measurement; abort 0.2 s into it (a run that ignored the signal
    // would resolve with results instead).
    const run = runBrowserBench({ targets: mlp, threads: [1], log: (line) => void (line.includes('thread(s)') && setTimeout(() => controller.abort(), 200)) }, controller.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  }, 180_000);
});
