/**
 * `models/index.json`: the list of model bundles a deployment offers. Each bundle lives in `models/<id>/`.
 */
import { z } from 'zod';
import { GeoCropError } from '../contract/errors';
import { MODEL_TASKS, type ModelTask } from './manifest';

/** One listed bundle; `version` and `task` repeat the manifest's so a model picker needs no extra fetch. */
export interface ModelIndexEntry {
  id: string;
  version: string;
  task: ModelTask;
}

/** The parsed `models/index.json`. */
export interface ModelIndex {
  bundles: ModelIndexEntry[];
}

const indexSchema = z.strictObject({
  bundles: z.array(z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a bundle id (letters, digits, ".", "_", "-")'),
    version: z.string().min(1),
    task: z.enum(MODEL_TASKS),
  })),
});

/**
 * Validates `models/index.json`.
 *
 * @throws GeoCropError `MODEL_INVALID` naming each bad entry or a duplicated id.
 */
export function parseModelIndex(json: unknown): ModelIndex {
  const parsed = indexSchema.safeParse(json);
  if (!parsed.success) {
    const text = parsed.error.issues.map((i) => `${i.path.join('.') || '(index)'}: ${i.message}`).join('; ');
    throw new GeoCropError('MODEL_INVALID', `models/index.json is invalid: ${text}.`);
  }
  const ids = parsed.data.bundles.map((b) => b.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new GeoCropError('MODEL_INVALID', `models/index.json lists bundle "${dup}" twice.`);
  return parsed.data;
}

/**
 * The entry for `id`.
 *
 * @throws GeoCropError `MODEL_NOT_FOUND` listing the ids that exist.
 */
export function findBundle(index: ModelIndex, id: string): ModelIndexEntry {
  const entry = index.bundles.find((b) => b.id === id);
  if (!entry) {
    const known = index.bundles.map((b) => `"${b.id}"`).join(', ') || 'none';
    throw new GeoCropError('MODEL_NOT_FOUND', `No model bundle "${id}" (available: ${known}).`, { id });
  }
  return entry;
}
