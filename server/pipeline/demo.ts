/**
 * The demo world as the pipeline's data source without a server: the same Hono routes `npm start` mounts
 * (`/demo/stac`, `/demo/s3/...`, fault injection included), called in-process through a `fetch` function. The
 * CLI uses it by default, so `npm run classify` works offline with nothing listening.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { GeoCropError } from '../../shared/contract/errors';
import type { FetchFn } from '../../shared/net/fetch-retry';
import { DEMO_PATHS } from '../config';
import { generateWorld, readManifest, type GenerateProgress, type WorldManifest } from '../demo-world/generate';
import { demoWorldRoutes } from '../demo-world/routes';
import { createFaultInjector, type FaultInjector } from '../http';

/**
 * Origin of in-process demo URLs. `.local` is reserved for link-local names, so it can never reach a real host
 * should a URL leak into a plain `fetch`.
 */
export const DEMO_ORIGIN = 'http://demo.local';

/** Where the pipeline finds an in-process demo world. */
export interface DemoSource {
  fetch: FetchFn;
  /** `http://demo.local/demo/stac`. */
  stacUrl: string;
  /** `http://demo.local/demo/s3/{bucket}/{key}`. */
  s3HttpsTemplate: string;
  /** The injector behind the routes (switch faults at run time, as `/demo/faults` does). */
  faults: FaultInjector;
}

/**
 * Serves the demo world generated in `dir` in-process (no socket).
 *
 * @param faults latency / 500 / 429 / truncate / corrupt injection; default none.
 * @throws GeoCropError `NOT_FOUND` when `dir` holds no generated world.
 * @example
 * const demo = demoInProcess('.cache/demo-world');
 * const result = await run(request, nodePipelineEnv({ model, stacUrl: demo.stacUrl, s3Template: demo.s3HttpsTemplate, fetch: demo.fetch }));
 */
export function demoInProcess(dir: string, faults: FaultInjector = createFaultInjector()): DemoSource {
  if (!readManifest(dir) || !existsSync(path.join(dir, 'stac'))) {
    throw new GeoCropError('NOT_FOUND', `No demo world in ${dir}: generate one with \`npm run world -- --out ${dir}\` (or run \`npm run classify\` without --demo-dir to use the default world).`, { dir });
  }
  const app = new Hono();
  app.route('/', demoWorldRoutes(dir, faults));
  return {
    fetch: async (input, init) => app.fetch(new Request(input, init)),
    stacUrl: `${DEMO_ORIGIN}${DEMO_PATHS.stac}`,
    s3HttpsTemplate: `${DEMO_ORIGIN}${DEMO_PATHS.s3}/{bucket}/{key}`,
    faults,
  };
}

/** Options of {@link ensureDemoWorld}. */
export interface EnsureWorldOptions {
  dir: string;
  /** Seed and seasons of the configured world (`config.demo`). */
  seed: number;
  seasons: number[];
  /**
   * Serve whatever world `dir` already holds (completing it if generation was interrupted) instead of replacing a
   * world of another seed or region with the configured one. For an explicitly named folder: a user pointing at a
   * world wants that world.
   */
  keepExisting?: boolean;
  onProgress?: (p: GenerateProgress) => void;
}

/**
 * Makes sure a complete demo world is in `dir`, generating what is missing exactly as `npm start` does (first run:
 * about a minute for the default world).
 *
 * @throws AbortError when `signal` fires.
 */
export async function ensureDemoWorld(opts: EnsureWorldOptions, signal?: AbortSignal): Promise<WorldManifest> {
  const existing = opts.keepExisting ? readManifest(opts.dir) : null;
  const config = existing ? existing.config : { seed: opts.seed, seasons: opts.seasons };
  return generateWorld({ dir: opts.dir, config, onProgress: opts.onProgress, signal });
}
