/**
 * Inference throughput through onnxruntime-web's wasm backend in Node. Measures, does not assert.
 *
 *   npx tsx models/bench/inference.ts [--threads 1] [--rows 262144] [--batch 65536]
 *   npx tsx models/bench/inference.ts --model croptype-demo [--models DIR] [--data TABLE] [--threads 2] [--json]
 *
 * Without `--model`: the two model shapes GeoCrop ships, with random weights — a 51→64→64→10 MLP and a 100-tree
 * depth-8 forest (10 classes). With `--model ID`: that bundle as the app loads it, on rows of `--data` (a table
 * with the model's feature columns, repeated up to `--rows`; realistic values take realistic tree paths) or on
 * uniform random rows. Reports the bundle size, the time to open it (`createClassifier`: SHA-256, graph check and
 * `InferenceSession.create`) and rows/s for the raw `session.run` and for `classify` (which adds column matching,
 * batching and the argmax). onnxruntime fixes the thread count at the first session, so run once per count.
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { FEATURE_ORDER_V1 } from '../../shared/contract/feature-order';
import { completeManifest, configureWasmThreads, createClassifier, parseModelManifest, type ModelManifest } from '../../shared/model';
import { buildMlp, buildTreeEnsembleClassifier } from '../../shared/model/onnx';
import { prng, randomMlp, randomRows, randomTrees } from '../../shared/model/testing';
import { MODELS_DIR, readBundleFiles } from '../bundles';
import { readTableFile } from '../train/table';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    rows: { type: 'string', default: '262144' },
    batch: { type: 'string', default: '65536' },
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

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (v: number): string => `${(v / 1000).toFixed(0)}k`;

/** `n` rows of the model's features: the table's rows repeated, or uniform random values. */
async function rowsFor(manifest: ModelManifest, n: number): Promise<Float32Array> {
  const F = manifest.features.length;
  if (!values.data) return randomRows(prng(2026), n, F);
  const table = await readTableFile(values.data, { label: values.label, features: manifest.features });
  const out = new Float32Array(n * F);
  for (let i = 0; i < n; i++) out.set(table.x.data.subarray((i % table.x.rows) * F, ((i % table.x.rows) + 1) * F), i * F);
  return out;
}

/** One measurement (medians of 3), as `--json` prints it for `npm run bench`. */
export interface InferenceBench { model: string; threads: number; rows: number; bytes: number; open_ms: number; run_rows_per_s: number; classify_rows_per_s: number }

async function bench(name: string, bytes: Uint8Array, manifest: ModelManifest, data: Float32Array): Promise<void> {
  const F = manifest.features.length;
  const opened: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const c = await createClassifier({ ort, modelBytes: bytes, manifest, batchSize: batch });
    opened.push(performance.now() - t0);
    await c.release();
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const input = (n: number, at: number) => new ort.Tensor('float32', data.subarray(at * F, (at + n) * F), [n, F]);
  const feeds = (n: number, at: number) => ({ [manifest.input.name]: input(n, at) });
  await session.run(feeds(Math.min(batch, rows), 0)); // warm-up
  const raw: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let at = 0; at < rows; at += batch) await session.run(feeds(Math.min(batch, rows - at), at), [manifest.output.probabilities]);
    raw.push(rows / ((performance.now() - t0) / 1000));
  }
  await session.release();
  const classifier = await createClassifier({ ort, modelBytes: bytes, manifest, batchSize: batch });
  await classifier.classify(data.subarray(0, Math.min(batch, rows) * F), manifest.features);
  const full: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    await classifier.classify(data, manifest.features);
    full.push(rows / ((performance.now() - t0) / 1000));
  }
  await classifier.release();
  if (values.json) {
    const result: InferenceBench = { model: name, threads, rows, bytes: bytes.length, open_ms: Math.round(median(opened)), run_rows_per_s: Math.round(median(raw)), classify_rows_per_s: Math.round(median(full)) };
    console.log(JSON.stringify(result));
    return;
  }
  console.log(
    `${name.padEnd(28)} ${(bytes.length / 1024).toFixed(0).padStart(6)} KiB  open ${median(opened).toFixed(0)} ms (${opened.map((t) => t.toFixed(0)).join(', ')})  ` +
      `session.run ${fmt(median(raw))} rows/s (${raw.map(fmt).join(', ')})  classify ${fmt(median(full))} rows/s (${full.map(fmt).join(', ')})`,
  );
}

async function syntheticManifest(name: string, bytes: Uint8Array, labels: number[]): Promise<ModelManifest> {
  return completeManifest({
    id: name, version: '0.0.0', task: 'crop-type',
    classes: labels.map((l) => ({ code: l, name: `c${l}` })),
    features: [...FEATURE_ORDER_V1], featureOrder: { version: 'v1' },
    output: { labels },
    training: { description: 'benchmark', dataSha256: '0'.repeat(64) }, metrics: {}, licence: 'CC0-1.0', created: '2026-11-23',
  }, bytes);
}

if (!values.json) console.log(`onnxruntime-web ${ort.env.versions.web}, wasm, ${threads} thread(s), ${rows} rows, batch ${batch}`);
if (values.model) {
  const files = await readBundleFiles(values.models ?? MODELS_DIR, values.model);
  const manifest = parseModelManifest(files.manifest);
  const data = await rowsFor(manifest, rows);
  if (!values.json) console.log(`${manifest.id} ${manifest.version}: ${manifest.features.length} features, ${manifest.classes.length} classes, rows from ${values.data ?? 'uniform random values'}`);
  await bench(manifest.id, files.model, manifest, data);
} else {
  const F = FEATURE_ORDER_V1.length;
  const C = 10;
  const rng = prng(2026);
  const data = randomRows(rng, rows, F);
  const labels = Array.from({ length: C }, (_, i) => i);
  const mlp = buildMlp({ nFeatures: F, layers: randomMlp(rng, [F, 64, 64, C]) });
  await bench('mlp-51-64-64-10', mlp, await syntheticManifest('mlp', mlp, labels), data);
  const forest = buildTreeEnsembleClassifier({
    nFeatures: F, classLabels: labels, aggregate: 'AVERAGE',
    trees: randomTrees(rng, { nFeatures: F, nClasses: C, nTrees: 100, depth: 8, leaves: 'probability' }),
  });
  await bench('forest-100x-depth8-10cls', forest, await syntheticManifest('forest', forest, labels), data);
}
