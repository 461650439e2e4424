/**
 * The GeoCrop server as one Hono app: health, public config, the demo world, and the PWA. Platform-free apart
 * from the file system the demo world and the PWA are served from; `main.ts` binds it to a socket.
 */
import { Hono } from 'hono';
import { GeoCropError } from '../shared/contract/errors';
import { PROXY_PATH, publicConfig, type Config } from './config';
import { demoWorldRoutes } from './demo-world/routes';
import type { WorldManifest } from './demo-world/generate';
import { createFaultInjector, staticWeb, type FaultInjector } from './http';
import { proxyRoutes } from './http/proxy';
import { DEFAULT_MODELS_DIR, MODELS_PATH, modelRoutes } from './models-routes';

export interface AppDeps {
  config: Config;
  /** Manifest of the generated demo world (generation finishes before the app is built). */
  world: WorldManifest;
  faults?: FaultInjector;
  /** Folder of the model bundles served at `/models` (default the repo's `models/`). */
  modelsDir?: string;
}

/** Builds the app. */
export function createApp({ config, world, faults = createFaultInjector(config.faults), modelsDir = DEFAULT_MODELS_DIR }: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => {
    const scenes = Object.values(world.seasons).reduce((n, s) => n + s.scenes, 0);
    return c.json({ ok: true, demo: { seed: world.config.seed, seasons: world.config.seasons, scenes, tiles: world.tiles.map((t) => t.id), ready: true } });
  });
  app.get('/api/config', (c) => c.json(publicConfig(config, world.regionLonLat)));
  app.route(PROXY_PATH, proxyRoutes({ allowHosts: config.proxyHosts }));
  app.route(MODELS_PATH, modelRoutes({ dir: modelsDir }));
  app.route('/', demoWorldRoutes(config.demo.dir, faults));
  app.route('/', staticWeb({ dir: config.webDir }));
  app.onError((err, c) => {
    if (err instanceof GeoCropError) return c.json({ error: err.toJSON() }, err.status as 400);
    console.error(err);
    return c.json({ error: { code: 'INTERNAL', message: 'Internal server error' } }, 500);
  });
  return app;
}
