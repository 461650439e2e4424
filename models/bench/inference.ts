/**
 * Inference throughput through onnxruntime-web's wasm backend in Node. Measures, does not assert.
 *
 *   npx tsx models/bench/inference.ts [--threads 1] [--rows 262144] [--batch 65536]
 *   npx tsx models/bench/inference.ts --model croptype-demo [--models DIR] [--data TABLE] [--threads 2] [--json]
 *
 * Without `--model`: the two model shapes GeoCrop ships, with random weights — the reference 51→64→32→10 MLP
 * (`synthetic.ts`) and a 100-tree depth-8 forest (10 classes). With `--model ID`: that bundle as the app loads it,
 * on rows of `--data` (a table with the model's feature columns, repeated up to `--rows`; realistic values take
 * realistic tree paths) or on uniform random rows. Reports the bundle size, the time to open it and rows/s for the
 * raw `session.run` and for `classify` (see `measure.ts`, which the browser bench runs too). onnxruntime fixes the
 * thread count at the first session, so run once per count.
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { FEATURE_ORDER_V1 } from '../../shared/contract/feature-order';
import { CLASSES } from '../../shared/contract/classes';
import { configureWasmThreads, parseModelManifest, type ModelManifest } from '../../shared/model';
import { buildTreeEnsembleClassifier } from '../../shared/model/onnx';
import { prng, randomTrees } from '../../shared/model/testing';
import { MODELS_DIR, readBundleFiles } from '../bundles';
import { readTableFile } from '../train/table';
import { BENCH_BATCH, BENCH_ROWS, benchRecord, benchRows, measureInference, median } from './measure';
import { REFERENCE_MLP_ID, referenceMlpBytes, syntheticManifest } from './synthetic';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    rows: { type: 'string', default: String(BENCH_ROWS) },
    batch: { type: 'string', default: String(BENCH_BATCH) },
    model: { type: 'string' },
    models: { type: 'string' },
    data: { type: 'string' },
    label: { type: 'string', default: 'class' },
    json: { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const rows = Number(values.rows);
const batch = Number(values.batch);
configureWasmThreads(ort, threads);

const fmt = (v: number): string => `${(v / 1000).toFixed(0)}k`;

/** `n` rows of the model's features: the table's rows repeated, or the benches' uniform random rows. */
async function rowsFor(manifest: ModelManifest, n: number): Promise<Float32Array> {
  const F = manifest.features.length;
  if (!values.data) return benchRows(n, F);
  const table = await readTableFile(values.data, { label: values.label, features: manifest.features });
  const out = new Float32Array(n * F);
  for (let i = 0; i < n; i++) out.set(table.x.data.subarray((i % table.x.rows) * F, ((i % table.x.rows) + 1) * F), i * F);
  return out;
}

async function bench(name: string, bytes: Uint8Array, manifest: ModelManifest, data: Float32Array): Promise<void> {
  const m = await measureInference({ ort, bytes, manifest, data, rows, batch });
  if (values.json) {
    console.log(JSON.stringify(benchRecord(m, { runtime: 'node', model: name, threads, rows, batch, bytes: bytes.length })));
    return;
  }
  console.log(
    `${name.padEnd(28)} ${(bytes.length / 1024).toFixed(0).padStart(6)} KiB  open ${median(m.openMs).toFixed(0)} ms (${m.openMs.map((t) => t.toFixed(0)).join(', ')})  ` +
      `first pass ${fmt(m.firstPassRowsPerS)} rows/s  session.run ${fmt(median(m.runRowsPerS))} rows/s (${m.runRowsPerS.map(fmt).join(', ')})  classify ${fmt(median(m.classifyRowsPerS))} rows/s (${m.classifyRowsPerS.map(fmt).join(', ')})`,
  );
}

if (!values.json) console.log(`onnxruntime-web ${ort.env.versions.web}, wasm, ${threads} thread(s), ${rows} rows, batch ${batch}`);
if (values.model) {
  const files = await readBundleFiles(values.models ?? MODELS_DIR, values.model);
  const manifest = parseModelManifest(files.manifest);
  const data = await rowsFor(manifest, rows);
  if (!values.json) console.log(`${manifest.id} ${manifest.version}: ${manifest.features.length} features, ${manifest.classes.length} classes, rows from ${values.data ?? 'uniform random values'}`);
  await bench(manifest.id, files.model, manifest, data);
} else {
  const data = benchRows(rows, FEATURE_ORDER_V1.length);
  const mlp = referenceMlpBytes();
  await bench(REFERENCE_MLP_ID, mlp, await syntheticManifest(REFERENCE_MLP_ID, mlp, 'random weights'), data);
  const forest = buildTreeEnsembleClassifier({
    nFeatures: FEATURE_ORDER_V1.length, classLabels: CLASSES.map((c) => c.code), aggregate: 'AVERAGE',
    trees: randomTrees(prng(2026), { nFeatures: FEATURE_ORDER_V1.length, nClasses: CLASSES.length, nTrees: 100, depth: 8, leaves: 'probability' }),
  });
  await bench('forest-100x-depth8-10cls', forest, await syntheticManifest('forest', forest, 'random weights'), data);
}
