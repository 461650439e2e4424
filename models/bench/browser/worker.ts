// The bench's module Worker: onnxruntime-web bundled in as the app's pipeline Worker bundles it, the wasm backend
// with the requested threads, and the same measurement as Node (../measure.ts).
import * as ort from 'onnxruntime-web';
import { GeoCropError } from '../../../shared/contract/errors';
import { configureWasmThreads, parseModelManifest } from '../../../shared/model';
import { benchRows, measureInference } from '../measure';
import type { BenchReply, BenchRequest } from './protocol';

const PTHREAD_NAME = 'em-pthread';

// onnxruntime's wasm threads are Workers of this same script named "em-pthread": they run its thread loop only.
if (!self.name.startsWith(PTHREAD_NAME)) {
  // Count the thread Workers onnxruntime starts: the proof that "2 threads" really ran two.
  let threadWorkers = 0;
  const NativeWorker = self.Worker;
  self.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (options?.name?.startsWith(PTHREAD_NAME)) threadWorkers++;
    }
  };

  self.onmessage = async (e: MessageEvent<BenchRequest>) => {
    const { bundleUrl, threads, rows, batch, warmupMs } = e.data;
    let reply: BenchReply;
    try {
      configureWasmThreads(ort, threads);
      const get = async (file: string) => {
        const res = await fetch(new URL(file, new URL(bundleUrl, self.location.href)));
        if (!res.ok) throw new GeoCropError('MODEL_NOT_FOUND', `${bundleUrl}${file}: HTTP ${res.status} (is the bundle listed in its index.json?)`);
        return res;
      };
      const manifest = parseModelManifest(await (await get('manifest.json')).json());
      const bytes = new Uint8Array(await (await get('model.onnx')).arrayBuffer());
      const data = benchRows(rows, manifest.features.length);
      const measurement = await measureInference({ ort, bytes, manifest, data, rows, batch, warmupMs });
      reply = { ok: true, measurement, bytes: bytes.length, crossOriginIsolated: self.crossOriginIsolated, threadWorkers };
    } catch (err) {
      reply = { ok: false, error: err instanceof GeoCropError ? err.toJSON() : { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) } };
    }
    self.postMessage(reply);
  };
}
