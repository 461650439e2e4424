/**
 * Model bundles over HTTP, read-only: `GET|HEAD /models/index.json` and `/models/<id>/manifest.json|model.onnx|card.md`
 * from a folder laid out like the repo's `models/`. The PWA's pipeline worker loads its classifier from here.
 *
 * A bundle is served only while `index.json` lists it: the index is what a deployment offers, so a half-written
 * or retired bundle folder is invisible even if it is still on disk.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { GeoCropError } from '../shared/contract/errors';
import { parseModelIndex } from '../shared/model/bundle-index';
import { publicReadCors } from './http/public-cors';
import { sendFileRange } from './http/range-files';

/** The repo's `models/` folder: the committed bundles and their index. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../models/', import.meta.url));

/** Where the routes are mounted. */
export const MODELS_PATH = '/models';

/** The files of a bundle a client may fetch, with their content types. */
export const BUNDLE_FILES: Readonly<Record<string, string>> = {
  'manifest.json': 'application/json',
  'model.onnx': 'application/octet-stream',
  'card.md': 'text/markdown; charset=utf-8',
};

/**
 * Bundles keep their URL when retrained (`/models/croptype-demo/model.onnx`), so a cached copy must be revalidated
 * on every use; the ETag turns that into a 304 without the body. The manifest's SHA-256 still guards the bytes.
 */
export const MODEL_CACHE_CONTROL = 'public, no-cache';

/** Bundle ids as `shared/model` defines them; a leading letter or digit rules out `.` and `..`. */
const BUNDLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Options of {@link modelRoutes}. */
export interface ModelRoutesOptions {
  /** Folder holding `index.json` and one sub-folder per bundle. Default {@link DEFAULT_MODELS_DIR}. */
  dir?: string;
}

function errorResponse(c: Context, err: GeoCropError): Response {
  // Same body as the app's onError, and never cached: a missing bundle may be published a minute later.
  c.header('Cache-Control', 'no-store');
  return c.json({ error: err.toJSON() }, err.status as 404);
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The model routes as a Hono sub-app; mount it at {@link MODELS_PATH}. Answers carry public-bucket CORS and
 * `Cross-Origin-Resource-Policy: cross-origin`, so a cross-origin isolated page on another origin (a CDN copy of the
 * PWA) may load the model too. Unknown ids, files and paths get a 404 `{ error: { code, message } }`.
 *
 * @example
 * app.route(MODELS_PATH, modelRoutes({ dir: '/srv/geocrop/models' }));
 * // GET /models/croptype-demo/model.onnx → /srv/geocrop/models/croptype-demo/model.onnx (ETag, Range, 304)
 */
export function modelRoutes(opts: ModelRoutesOptions = {}): Hono {
  const dir = path.resolve(opts.dir ?? DEFAULT_MODELS_DIR);
  const app = new Hono();
  app.use('*', publicReadCors());

  app.on(['GET', 'HEAD'], '/index.json', async (c) => {
    const file = path.join(dir, 'index.json');
    // A deployment without bundles offers none: an empty list, not an error, so a model picker just shows nothing.
    if (!(await realpath(file).then(() => true, () => false))) {
      c.header('Cache-Control', MODEL_CACHE_CONTROL);
      return c.json({ bundles: [] });
    }
    return sendFileRange(c, file, { contentType: 'application/json', cacheControl: MODEL_CACHE_CONTROL });
  });

  app.on(['GET', 'HEAD'], '/:id/:file', async (c) => {
    const id = c.req.param('id');
    const file = c.req.param('file');
    if (!BUNDLE_ID.test(id)) return errorResponse(c, new GeoCropError('MODEL_NOT_FOUND', `"${id}" is not a model bundle id (letters, digits, ".", "_", "-").`, { id }));
    const contentType = BUNDLE_FILES[file];
    if (!contentType) {
      return errorResponse(c, new GeoCropError('NOT_FOUND', `A model bundle has no file "${file}"; fetch one of ${Object.keys(BUNDLE_FILES).join(', ')}.`, { id, file }));
    }
    // Read per request: a bundle published (or retired) after boot shows up without a restart. The index is small.
    const index = await readIndex(dir);
    if (index instanceof GeoCropError) return errorResponse(c, index);
    if (!index.includes(id)) {
      return errorResponse(c, new GeoCropError('MODEL_NOT_FOUND', `No model bundle "${id}" (available: ${index.map((b) => `"${b}"`).join(', ') || 'none'}).`, { id }));
    }
    const root = await realpath(dir).catch(() => dir);
    const target = await realpath(path.join(root, id, file)).catch(() => undefined);
    if (!target) return errorResponse(c, new GeoCropError('NOT_FOUND', `Model bundle "${id}" has no ${file}.`, { id, file }));
    // A symlink inside the folder must not serve a file from elsewhere.
    if (!isInside(root, target)) return errorResponse(c, new GeoCropError('NOT_FOUND', `Model bundle "${id}" has no ${file}.`, { id, file }));
    return sendFileRange(c, target, { contentType, cacheControl: MODEL_CACHE_CONTROL, key: `${id}/${file}` });
  });

  app.all('*', (c) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json({ error: { code: 'INVALID_REQUEST', message: `${c.req.method} is not allowed: model bundles are read-only.` } }, 405);
    }
    return errorResponse(c, new GeoCropError('NOT_FOUND', `No model file at ${new URL(c.req.url).pathname}; use ${MODELS_PATH}/index.json or ${MODELS_PATH}/<id>/{${Object.keys(BUNDLE_FILES).join(',')}}.`));
  });
  return app;
}

/** Bundle ids listed by `<dir>/index.json`; a missing index lists none, a broken one is `MODEL_INVALID`. */
async function readIndex(dir: string): Promise<string[] | GeoCropError> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'index.json'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    return parseModelIndex(JSON.parse(text)).bundles.map((b) => b.id);
  } catch (err) {
    if (err instanceof GeoCropError) return err;
    return new GeoCropError('MODEL_INVALID', `models/index.json is not JSON: ${(err as Error).message}.`);
  }
}
