/**
 * Model bundles on disk (Node): read `models/index.json` and `models/<id>/` into the platform-neutral checks of
 * `shared/model`, and write a bundle (the training CLI's last step). The server and tests use these; the PWA
 * fetches the same files over HTTP.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeoCropError } from '../shared/contract/errors';
import { parseModelIndex, validateBundle, type BundleCheckOptions, type BundleFiles, type ModelIndex, type ModelManifest } from '../shared/model';

/** This folder: the committed bundles and their index. */
export const MODELS_DIR = fileURLToPath(new URL('.', import.meta.url));

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Parses `<root>/index.json`. */
export async function readModelIndex(root: string = MODELS_DIR): Promise<ModelIndex> {
  return parseModelIndex(JSON.parse(await readFile(join(root, 'index.json'), 'utf8')));
}

/**
 * Reads the three files of `<root>/<id>/`. A missing card comes back undefined (validation reports it); a missing
 * manifest or model is `MODEL_NOT_FOUND`.
 */
export async function readBundleFiles(root: string, id: string): Promise<BundleFiles> {
  const dir = join(root, id);
  try {
    const [manifestText, model] = await Promise.all([readFile(join(dir, 'manifest.json'), 'utf8'), readFile(join(dir, 'model.onnx'))]);
    const card = await readFile(join(dir, 'card.md'), 'utf8').catch((err: unknown) => {
      if (isMissing(err)) return undefined;
      throw err;
    });
    let manifest: unknown;
    try {
      manifest = JSON.parse(manifestText);
    } catch (err) {
      throw new GeoCropError('MODEL_INVALID', `${join(dir, 'manifest.json')} is not JSON: ${(err as Error).message}`);
    }
    return { manifest, model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength), card };
  } catch (err) {
    if (isMissing(err)) throw new GeoCropError('MODEL_NOT_FOUND', `Bundle "${id}" is incomplete: ${(err as Error).message}. A bundle is ${dir}/{manifest.json, model.onnx, card.md}.`, { id });
    throw err;
  }
}

/**
 * Validates every bundle `<root>/index.json` lists (see `validateBundle`), and that each index entry's version
 * and task equal its manifest's.
 *
 * @throws GeoCropError `MODEL_INVALID` / `MODEL_NOT_FOUND` for the first bad bundle.
 */
export async function checkBundles(root: string = MODELS_DIR, options: Omit<BundleCheckOptions, 'expectedId'> = {}): Promise<ModelManifest[]> {
  const index = await readModelIndex(root);
  const manifests: ModelManifest[] = [];
  for (const entry of index.bundles) {
    const manifest = await validateBundle(await readBundleFiles(root, entry.id), { ...options, expectedId: entry.id });
    if (manifest.version !== entry.version || manifest.task !== entry.task) {
      throw new GeoCropError('MODEL_INVALID', `index.json lists "${entry.id}" as ${entry.task} ${entry.version} but its manifest says ${manifest.task} ${manifest.version}: update index.json.`);
    }
    manifests.push(manifest);
  }
  return manifests;
}

/**
 * Validates a bundle, writes it to `<root>/<manifest.id>/` and lists it in `<root>/index.json` (replacing an
 * entry with the same id; creating the index if missing).
 */
export async function writeBundle(root: string, files: BundleFiles & { card: string }, options: Omit<BundleCheckOptions, 'expectedId'> = {}): Promise<ModelManifest> {
  const manifest = await validateBundle(files, options);
  const dir = join(root, manifest.id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), files.model);
  // The parsed form: defaults (class colours) written out, so the file says everything.
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'card.md'), files.card);
  const index = await readModelIndex(root).catch((err: unknown) => {
    if (isMissing(err)) return { bundles: [] } as ModelIndex;
    throw err;
  });
  const bundles = [...index.bundles.filter((b) => b.id !== manifest.id), { id: manifest.id, version: manifest.version, task: manifest.task }];
  await writeFile(join(root, 'index.json'), `${JSON.stringify({ bundles }, null, 2)}\n`);
  return manifest;
}
