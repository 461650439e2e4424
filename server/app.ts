/**
 * The GeoCrop server as one Hono app: health, public config, the demo world, and the PWA. Platform-free apart
 * from the file system the demo world and the PWA are served from; `main.ts` binds it to a socket.
 */
import { Hono } from 'hono';
import { GeoCropError } from '../shared/contract/errors';
import { publicConfig, type Config } from './config';
import { demoWorldRoutes } from './demo-world/routes';
import type { WorldManifest } from './demo-world/generate';
import { createFaultInjector, staticWeb, type FaultInjector } from './http';

export interface AppDeps {
  config: Config;
  /** Manifest of the generated demo world (generation finishes before the app is built). */
  world: WorldManifest;
  faults?: FaultInjector;
}

/** Builds the app. */
export function createApp({ config, world, faults = createFaultInjector(config.faults) }: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => {
    const scenes = Object.values(world.seasons).reduce((n, s) => n + s.scenes, 0);
    return c.json({ ok: true, demo: { seed: world.config.seed, seasons: world.config.seasons, scenes, tiles: world.tiles.map((t) => t.id), ready: true } });
  });
  app.get('/api/config', (c) => c.json(publicConfig(config)));
  app.route('/', demoWorldRoutes(config.demo.dir, faults));
  app.route('/', staticWeb({ dir: config.webDir }));
  app.onError((err, c) => {
    if (err instanceof GeoCropError) return c.json({ error: err.toJSON() }, err.status as 400);
    console.error(err);
    return c.json({ error: { code: 'INTERNAL', message: 'Internal server error' } }, 500);
  });
  return app;
}
