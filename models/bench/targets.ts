/**
 * The models `npm run bench` measures on every runtime: each shipped bundle (`models/index.json`), then the
 * reference MLP (`synthetic.ts`), written as a bundle of its own so Node and Chromium load the very same bytes.
 */
import { MODELS_DIR, readModelIndex } from '../bundles';
import { writeReferenceMlp } from './synthetic';

/** A bundle to measure: `<root>/<id>/`, listed in `<root>/index.json`. */
export interface BenchTarget {
  id: string;
  root: string;
  /** False for benchmark-only models, which tables must label as such. */
  shipped: boolean;
}

/** The shipped bundles, then the reference MLP written to `scratch` (a folder of its own, e.g. `.cache/bench/models`). */
export async function benchTargets(scratch: string): Promise<BenchTarget[]> {
  const shipped = (await readModelIndex(MODELS_DIR)).bundles.map((b) => ({ id: b.id, root: MODELS_DIR, shipped: true }));
  return [...shipped, { id: await writeReferenceMlp(scratch), root: scratch, shipped: false }];
}
