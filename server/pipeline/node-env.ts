/**
 * The pipeline's platform edge for Node: a {@link PipelineEnv} built from the global `fetch` and Node's zlib.
 * The Web Worker builds the same object from the page's fetch and fflate; `shared/pipeline` never knows which.
 */
import zlib from 'node:zlib';
import type { DeflateFn } from '../../shared/export/types';
import type { FetchFn, RetryPolicy } from '../../shared/net/fetch-retry';
import type { PipelineEnv, PipelineModel } from '../../shared/pipeline/types';
import type { InflateFn } from '../../shared/raster/tile-decode';
import { CONFIG_VARIABLES } from '../config';

/** DEFLATE for the COG writer: Node's zlib, about 2× faster than the fflate default the browser uses. */
export const nodeDeflate: DeflateFn = (data, level) => zlib.deflateSync(data, { level });

/** DEFLATE decoding of COG tiles: Node's zlib (checks Adler-32), several times faster than the fflate default. */
export const nodeInflate: InflateFn = (data, size) => {
  const out = zlib.inflateSync(data, { maxOutputLength: Math.max(1, size) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};

/** What {@link nodePipelineEnv} needs; everything but the model has a default. */
export interface NodeEnvOptions {
  /** The classifier (see `loadModel`). */
  model: PipelineModel;
  /** STAC API root. Default: DE Africa's Explorer (`GEOCROP_STAC_URL`'s default). */
  stacUrl?: string;
  /**
   * How `s3://bucket/key` hrefs become URLs. Default: DE Africa's public buckets. A path template
   * (`/demo/s3/{bucket}/{key}`) is resolved against `baseUrl`.
   */
  s3Template?: string;
  /** Origin for path templates. Default: the origin of `stacUrl` (a GeoCrop server serves both). */
  baseUrl?: string;
  /** Default: the global `fetch`. */
  fetch?: FetchFn;
  /** CORS fallback; Node has no CORS, so it is off unless a caller wants to exercise it. */
  proxyTemplate?: string;
  retry?: Partial<RetryPolicy>;
  /** Dates read at once (default: the pipeline's, 3). */
  readConcurrency?: number;
  /** Largest scene cloud cover asked of the STAC search, percent (default: the pipeline's, 80). */
  maxCloudCover?: number;
}

/**
 * A {@link PipelineEnv} for Node.
 *
 * @example
 * const model = await loadModel('croptype-demo');
 * const result = await run(request, nodePipelineEnv({ model }), { onProgress: console.error, signal });
 */
export function nodePipelineEnv(opts: NodeEnvOptions): PipelineEnv {
  const stacUrl = opts.stacUrl ?? CONFIG_VARIABLES.GEOCROP_STAC_URL.default;
  const s3HttpsTemplate = opts.s3Template ?? CONFIG_VARIABLES.GEOCROP_S3_HTTPS_TEMPLATE.default;
  // Bound once: a bare reference to globalThis.fetch called as env.fetch(...) would lose its receiver.
  const fetchFn: FetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return {
    fetch: fetchFn,
    stacUrl,
    s3HttpsTemplate,
    baseUrl: opts.baseUrl ?? (isPathTemplate(s3HttpsTemplate) ? new URL(stacUrl).origin : undefined),
    proxyTemplate: opts.proxyTemplate,
    model: opts.model,
    deflate: nodeDeflate,
    inflate: nodeInflate,
    retry: opts.retry,
    readConcurrency: opts.readConcurrency,
    maxCloudCover: opts.maxCloudCover,
  };
}

function isPathTemplate(t: string): boolean {
  return t.startsWith('/') && !t.startsWith('//');
}

// The brief's address for the in-process demo source; it lives in demo.ts with the world generation it needs.
export { demoInProcess, type DemoSource } from './demo';
