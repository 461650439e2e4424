/**
 * Test support: a small demo world generated into a temporary folder and served over a real socket with the
 * demo routes `npm start` mounts, plus a request log and a slot for per-test middleware (extra fault injectors,
 * substituted objects).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { generateWorld, type WorldManifest } from '../../demo-world/generate';
import { demoWorldRoutes } from '../../demo-world/routes';
import { DEFAULT_CONFIG, type WorldConfig } from '../../demo-world/world-config';
import { createFaultInjector, type FaultInjector } from '../../http';
import { listen, type Listening } from '../../http/test-listen';

/**
 * The small world of `server/demo-world/generate.test.ts` (3 km × 2.4 km around 30°E 17.8°S, both tiles, season
 * 2022 only, seed 7): about 30 s to generate, so each test file makes one.
 */
export const SMALL_WORLD: WorldConfig = { ...DEFAULT_CONFIG, seed: 7, halfWidthM: 1500, halfHeightM: 1200, overlapM: 600, seasons: [2022] };

/** A request as the server saw it. */
export interface LoggedRequest {
  /** `performance.now()` when the request arrived (same clock as the test: the server is in-process). */
  at: number;
  path: string;
  status: number;
}

/** A served world. */
export interface WorldServer extends Listening {
  dir: string;
  manifest: WorldManifest;
  /** The injector behind the demo routes (global latency / 500 / 429 / truncate / corrupt). */
  faults: FaultInjector;
  /** Every request, in arrival order; the status is filled in when the answer is ready. */
  log: LoggedRequest[];
  /** Middleware run before the demo routes (after logging); null = none. Set per test, reset after. */
  extra: MiddlewareHandler | null;
  /** Parsed items of `stac/items-<year>.ndjson`. */
  items(year: number): StacItemJson[];
}

/** The fields of a generated item the tests read. */
export interface StacItemJson {
  id: string;
  collection: string;
  properties: Record<string, unknown>;
  assets: Record<string, { href: string }>;
}

/** Generates {@link SMALL_WORLD} into a fresh temporary folder and serves it on 127.0.0.1. */
export async function startWorldServer(config: WorldConfig = SMALL_WORLD): Promise<WorldServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geocrop-pipeline-world-'));
  const manifest = await generateWorld({ dir, config, workers: 2 });
  const faults = createFaultInjector();
  const log: LoggedRequest[] = [];
  const app = new Hono();
  const server = { extra: null as MiddlewareHandler | null };
  app.use('*', async (c, next) => {
    const entry = { at: performance.now(), path: c.req.path, status: 0 };
    log.push(entry);
    await next();
    entry.status = c.res.status;
  });
  app.use('*', (c, next) => (server.extra ? server.extra(c, next) : next()));
  app.route('/', demoWorldRoutes(dir, faults));
  const listening = await listen(app);
  const cache = new Map<number, StacItemJson[]>();
  return Object.assign(server, listening, {
    dir,
    manifest,
    faults,
    log,
    items(year: number) {
      let list = cache.get(year);
      if (!list) {
        list = readFileSync(path.join(dir, 'stac', `items-${year}.ndjson`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StacItemJson);
        cache.set(year, list);
      }
      return list;
    },
  });
}

/** The `/demo/s3/...` URL path of an `s3://bucket/key` href. */
export function s3Path(href: string): string {
  return `/demo/s3/${href.replace(/^s3:\/\//, '')}`;
}
