// The bench page: one fresh module Worker per measurement, because onnxruntime fixes its thread count at the
// first session of a Worker. The driver (browser-bench.ts) calls `window.geocropBench.run` through Playwright.
import type { BenchPage, BenchReply, BenchRequest } from './protocol';

declare global {
  interface Window {
    geocropBench: BenchPage;
  }
}

window.geocropBench = {
  run: (request: BenchRequest) =>
    new Promise<BenchReply>((resolve) => {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'geocrop-bench' });
      const done = (reply: BenchReply) => {
        worker.terminate();
        resolve(reply);
      };
      worker.onmessage = (e: MessageEvent<BenchReply>) => done(e.data);
      worker.onerror = (e) => done({ ok: false, error: { name: 'WorkerError', message: `the bench Worker failed to run: ${e.message || 'script error (see the browser console)'}` } });
      worker.postMessage(request);
    }),
};
document.title = 'bench ready';
