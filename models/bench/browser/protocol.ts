/** What the bench page and its Worker exchange (structured clone), and what the page returns to the driver. */
import type { ErrorPayload } from '../../../shared/contract/errors';
import type { Measurement } from '../measure';

/** One measurement to make: the bundle at `bundleUrl` (ending in `/`), on `threads` wasm threads. */
export interface BenchRequest {
  bundleUrl: string;
  threads: number;
  rows: number;
  batch: number;
  warmupMs: number;
}

/** The Worker's answer. */
export type BenchReply =
  | {
      ok: true;
      measurement: Measurement;
      /** `model.onnx` size in bytes. */
      bytes: number;
      /** `self.crossOriginIsolated` in the Worker: without it onnxruntime runs one thread whatever was asked. */
      crossOriginIsolated: boolean;
      /** Thread Workers ("em-pthread") onnxruntime started: threads beyond the Worker's own. */
      threadWorkers: number;
    }
  | { ok: false; error: ErrorPayload | { code?: undefined; name: string; message: string } };

/** The page's API, as `window.geocropBench`. */
export interface BenchPage {
  /** Runs one request in a fresh module Worker (onnxruntime reads `numThreads` once per instance). */
  run(request: BenchRequest): Promise<BenchReply>;
}
