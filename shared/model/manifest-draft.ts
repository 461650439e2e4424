/**
 * Writing a manifest for freshly exported ONNX bytes: the training code gives what only it knows (classes,
 * features, metrics…) and {@link completeManifest} derives the rest from the bytes (SHA-256, size, feature-order
 * hash, input/output names, format and class labels), so the hand-written part cannot disagree with the model.
 */
import { GeoCropError } from '../contract/errors';
import { featureOrderHash } from '../contract/feature-order';
import { parseModelManifest, type ModelClass, type ModelManifest, type ModelOutput } from './manifest';
import { inspectOnnx } from './onnx/wire';
import { sha256Hex } from './sha256';

/** Output names converters and GeoCrop's builders use, tried in order when the draft names none. */
const PROBABILITY_OUTPUTS = ['probabilities', 'output_probability'];
const LABEL_OUTPUTS = ['label', 'output_label'];

/** What the training code states; everything else is read from the model. */
export interface ManifestDraft extends Omit<ModelManifest, 'schemaVersion' | 'classes' | 'featureOrder' | 'input' | 'output' | 'onnx'> {
  /** Classes; `colour` optional (default palette). */
  classes: (Omit<ModelClass, 'colour'> & { colour?: string })[];
  /** Only the version: the hash is computed from `features`. */
  featureOrder: { version: string };
  /** Default: the graph's only input. */
  input?: { name: string };
  /** Each field defaults to what the graph says (names above, format from the output's type, labels from its producer). */
  output?: Partial<ModelOutput>;
}

/**
 * A validated manifest for `modelBytes` from a draft.
 *
 * @throws GeoCropError `MODEL_INVALID` when something cannot be derived (the message says which draft field to
 *   set) or the result fails {@link parseModelManifest}.
 * @example
 * const manifest = await completeManifest({ id: 'croptype-demo', version: '1.0.0', task: 'crop-type', classes,
 *   features: [...FEATURE_ORDER_V1], featureOrder: { version: 'v1' }, training, metrics, licence: 'CC-BY-4.0',
 *   created: '2026-11-23' }, bytes);
 * await writeFile('models/croptype-demo/manifest.json', JSON.stringify(manifest, null, 2));
 */
export async function completeManifest(draft: ManifestDraft, modelBytes: Uint8Array): Promise<ModelManifest> {
  const summary = inspectOnnx(modelBytes);
  const missing = (field: string, why: string): GeoCropError => new GeoCropError('MODEL_INVALID', `Cannot derive ${field} for model "${draft.id}": ${why}; set it in the draft.`);
  const inputName = draft.input?.name ?? (summary.inputs.length === 1 ? summary.inputs[0].name : undefined);
  if (inputName === undefined) throw missing('input.name', `the graph has ${summary.inputs.length} inputs`);
  const outputNames = summary.outputs.map((o) => o.name);
  const probabilities = draft.output?.probabilities ?? PROBABILITY_OUTPUTS.find((n) => outputNames.includes(n));
  if (probabilities === undefined) throw missing('output.probabilities', `no output is named ${PROBABILITY_OUTPUTS.join(' or ')} (outputs: ${outputNames.join(', ')})`);
  const kind = summary.outputs.find((o) => o.name === probabilities)?.kind;
  const labels = draft.output?.labels ?? summary.nodes.find((n) => n.outputs.includes(probabilities))?.classLabels;
  if (labels === undefined) throw missing('output.labels', `the node producing "${probabilities}" records no class labels (e.g. a Softmax)`);
  const label = draft.output?.label ?? LABEL_OUTPUTS.find((n) => outputNames.includes(n));
  const { output: _output, input: _input, featureOrder, ...rest } = draft;
  return parseModelManifest({
    schemaVersion: 1,
    ...rest,
    featureOrder: { version: featureOrder.version, hash: featureOrderHash(draft.features) },
    input: { name: inputName },
    output: {
      probabilities,
      format: draft.output?.format ?? (kind === 'sequence' ? 'zipmap' : 'tensor'),
      ...(label !== undefined ? { label } : {}),
      labels,
    },
    onnx: { sha256: await sha256Hex(modelBytes), bytes: modelBytes.length },
  });
}
