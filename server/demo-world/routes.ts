/**
 * The demo world over HTTP, at the fixed addresses other tools rely on:
 * `/demo/stac` (STAC API like DEA Explorer), `/demo/s3/<bucket>/<key>` (COGs with S3-like Range semantics),
 * `/demo/truth/classes.tif|fields.geojson|classes.json` (ground truth), `/demo/faults` (fault injection).
 */
import path from 'node:path';
import { Hono } from 'hono';
import { faultRoutes, sendFileRange, serveFiles, type FaultInjector } from '../http';
import { publicReadCors } from '../http/public-cors';
import { loadCatalog } from './catalog';
import { createStacApi } from './stac-api';

const TRUTH_FILES = new Set(['classes.tif', 'fields.geojson', 'classes.json']);

/** Hono app with every demo route, for a world generated in `dir`. Mount it at the site root. */
export function demoWorldRoutes(dir: string, faults: FaultInjector): Hono {
  const app = new Hono();
  // Latency, 500s and 429s on /demo/s3/* and /demo/stac/* (the injector filters by prefix itself).
  app.use('*', faults.middleware());
  app.route('/demo/stac', createStacApi(loadCatalog(dir), { title: 'GeoCrop demo world (DE Africa Explorer stand-in)' }));
  app.route('/demo/s3', serveFiles({ root: path.join(dir, 's3'), faults }));
  app.use('/demo/truth/*', publicReadCors());
  app.on(['GET', 'HEAD'], '/demo/truth/:file', (c) => {
    const file = c.req.param('file');
    if (!TRUTH_FILES.has(file)) return c.json({ code: 'NotFound', description: `No ground-truth file "${file}"; use one of ${[...TRUTH_FILES].join(', ')}` }, 404);
    return sendFileRange(c, path.join(dir, 'truth', file));
  });
  app.route('/demo/faults', faultRoutes(faults));
  return app;
}
