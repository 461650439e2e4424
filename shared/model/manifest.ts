/**
 * The model bundle manifest (`models/<id>/manifest.json`): what a model is, what it reads and how to read what it
 * writes. {@link parseModelManifest} validates one and fills defaults; every problem is reported with its JSON
 * path and what to change, all at once, so a hand-edited manifest can be fixed in one pass.
 */
import { z } from 'zod';
import { GeoCropError } from '../contract/errors';
import { featureOrderHash } from '../contract/feature-order';

/** What a model predicts: crop types (multi-class) or a crop/non-crop mask (two classes). */
export const MODEL_TASKS = ['crop-type', 'crop-mask'] as const;
/** One {@link MODEL_TASKS} entry. */
export type ModelTask = (typeof MODEL_TASKS)[number];

/** Version of the manifest format itself (bump on an incompatible change). */
export const MANIFEST_SCHEMA_VERSION = 1;

/** One class a model emits. */
export interface ModelClass {
  /** Raster value written for this class, 0–254 (255 is nodata). */
  code: number;
  /** Class name, e.g. `maize` (unique within the manifest). */
  name: string;
  /** Display colour `#rrggbb`; {@link defaultPalette} fills it when the manifest gives none. */
  colour: string;
  /**
   * The label the ONNX graph uses for this class (an `output.labels` entry). Omitted: the class `code` for integer
   * labels, the class `name` for string labels.
   */
  label?: number | string;
}

/** Per-feature standardisation `(x − mean) / std`, in {@link ModelManifest.features} order. */
export interface ModelScaler {
  mean: number[];
  /** Strictly positive. */
  std: number[];
  /**
   * True when the ONNX graph already contains the Sub/Div nodes (the classifier must not apply it again); false
   * when the classifier applies it before feeding the graph.
   */
  inGraph: boolean;
}

/** How to read the graph's outputs. */
export interface ModelOutput {
  /** Graph output holding the class probabilities (float32 `[N, C]`, or a ZipMap sequence of maps). */
  probabilities: string;
  /**
   * `tensor`: a float32 `[N, C]` tensor. `zipmap`: a `seq(map(label, float))` as sklearn/onnxmltools converters
   * emit by default; the classifier reads the tensor that feeds the ZipMap instead (onnxruntime-web cannot return
   * non-tensor outputs).
   */
  format: 'tensor' | 'zipmap';
  /** Graph output with the predicted label, if any. Informational: GeoCrop takes the argmax of the probabilities. */
  label?: string;
  /**
   * The graph's label of each probability column, in column order (a classifier's `classlabels_int64s` or
   * `classlabels_strings`). Each maps to exactly one {@link ModelClass}.
   */
  labels: number[] | string[];
}

/** A validated manifest with defaults applied (colours filled). */
export interface ModelManifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  /** Bundle id (the folder name under `models/`), as job requests name it. */
  id: string;
  /** Semantic version `MAJOR.MINOR.PATCH[-pre][+build]`. */
  version: string;
  task: ModelTask;
  description?: string;
  /** Classes, in the order legends list them. */
  classes: ModelClass[];
  /** Input feature names in the order of the graph's input columns; matched to the feature stack by name. */
  features: string[];
  /**
   * Which feature order `features` is: `v1` = exactly the pipeline's `FEATURE_ORDER_V1`; any other version names
   * the model's own list (each name must still be in the feature catalogue). `hash` is
   * `featureOrderHash(features)`.
   */
  featureOrder: { version: string; hash: string };
  scaler?: ModelScaler;
  /** The graph input (float32 `[N, features.length]`). */
  input: { name: string };
  output: ModelOutput;
  training: {
    /** What the model was trained on (source, season(s), region, sampling). */
    description: string;
    /** SHA-256 (hex) of the training data as the training code hashes it. */
    dataSha256: string;
    /** Number of training samples (pixels or fields). */
    samples?: number;
  };
  /** Evaluation metrics: scalars (e.g. `overallAccuracy`, 0–1) or per-class maps (e.g. `f1: {maize: 0.8}`). */
  metrics: Record<string, number | Record<string, number>>;
  /** Licence of the model weights (SPDX id where one exists). */
  licence: string;
  /** Creation date, ISO 8601 (`2026-11-23` or a date-time with offset). */
  created: string;
  /** The `model.onnx` file of the bundle. */
  onnx: { sha256: string; bytes: number };
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX16 = /^[0-9a-f]{16}$/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** zod `error` option: says what to add when the field is missing, else what it must be and what it was. */
const need = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? `missing: add ${what}` : `must be ${what} (got ${describe(iss.input)})`),
});

const classSchema = z.strictObject({
  code: z.int(need('an integer class code 0–254')).min(0, need('an integer class code 0–254')).max(254, 'must be 0–254: 255 is the nodata value of class rasters'),
  name: z.string(need('a class name such as "maize"')).min(1, 'must not be empty'),
  colour: z.string(need('a "#rrggbb" colour')).regex(/^#[0-9a-fA-F]{6}$/, need('a "#rrggbb" colour')).optional(),
  label: z.union([z.int(), z.string().min(1)], need("the graph's label for this class (integer or non-empty string)")).optional(),
});

const manifestSchema = z.strictObject({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION, need(`${MANIFEST_SCHEMA_VERSION} (the manifest format version)`)),
  id: z.string(need('the bundle id')).regex(MODEL_ID, need('1–64 letters, digits, ".", "_" or "-", starting with a letter or digit')),
  version: z.string(need('a semantic version such as "1.0.0"')).regex(SEMVER, need('a semantic version such as "1.0.0"')),
  task: z.enum(MODEL_TASKS, need(MODEL_TASKS.map((t) => `"${t}"`).join(' or '))),
  description: z.string(need('a string')).optional(),
  classes: z.array(classSchema, need('a list of classes')).min(2, 'must list at least 2 classes'),
  features: z.array(z.string(need('a feature name')).min(1, 'must not be empty'), need('the list of input feature names')).min(1, 'must name at least one feature'),
  featureOrder: z.strictObject({
    version: z.string(need('a feature order version such as "v1"')).min(1, 'must not be empty'),
    hash: z.string(need('featureOrderHash(features): 16 lower-case hex digits')).regex(HEX16, need('featureOrderHash(features): 16 lower-case hex digits')),
  }, need('{ version, hash } of the feature order')),
  scaler: z.strictObject({
    mean: z.array(z.number(need('a finite number')), need('a list of per-feature means')),
    std: z.array(z.number(need('a finite number')).gt(0, 'must be > 0 (a constant feature needs std 1)'), need('a list of per-feature standard deviations')),
    inGraph: z.boolean(need('true if the graph already standardises its input, else false')),
  }, need('{ mean, std, inGraph }')).optional(),
  input: z.strictObject({ name: z.string(need("the graph's input tensor name")).min(1, 'must not be empty') }, need('{ name } of the graph input')),
  output: z.strictObject({
    probabilities: z.string(need("the graph output holding class probabilities")).min(1, 'must not be empty'),
    format: z.enum(['tensor', 'zipmap'], need('"tensor" (float [N, C]) or "zipmap" (sequence of maps)')),
    label: z.string(need('a graph output name')).min(1, 'must not be empty').optional(),
    labels: z.union([z.array(z.int()).min(1), z.array(z.string().min(1)).min(1)], need('the graph label of each probability column: all integers or all non-empty strings')),
  }, need('{ probabilities, format, labels } describing the graph outputs')),
  training: z.strictObject({
    description: z.string(need('a description of the training data')).min(1, 'must not be empty'),
    dataSha256: z.string(need('the SHA-256 of the training data, 64 lower-case hex digits')).regex(HEX64, need('64 lower-case hex digits (SHA-256)')),
    samples: z.int(need('a whole number of samples')).min(0, need('a whole number of samples')).optional(),
  }, need('{ description, dataSha256 } of the training data')),
  metrics: z.record(z.string(), z.union([z.number(), z.record(z.string(), z.number())]), need('an object of metric name → number (or → { class: number })')),
  licence: z.string(need('the licence of the weights, e.g. "CC-BY-4.0"')).min(1, 'must not be empty'),
  created: z.union([z.iso.date(), z.iso.datetime({ offset: true })], need('an ISO 8601 date such as "2026-11-23"')),
  onnx: z.strictObject({
    sha256: z.string(need('the SHA-256 of model.onnx, 64 lower-case hex digits')).regex(HEX64, need('64 lower-case hex digits (SHA-256 of model.onnx)')),
    bytes: z.int(need('the size of model.onnx in bytes')).min(1, need('the size of model.onnx in bytes')),
  }, need('{ sha256, bytes } of model.onnx')),
});

type RawManifest = z.infer<typeof manifestSchema>;

interface Problem {
  path: string;
  message: string;
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out ? '.' : ''}${String(seg)}`;
  return out;
}

function duplicates<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** The class each label resolves to when the class gives no explicit `label`. */
function implicitLabel(c: { code: number; name: string }, numeric: boolean): number | string {
  return numeric ? c.code : c.name;
}

/** Checks that span fields (the schema checks each field alone). */
function crossFieldProblems(m: RawManifest): Problem[] {
  const out: Problem[] = [];
  for (const code of duplicates(m.classes.map((c) => c.code))) out.push({ path: 'classes', message: `class code ${code} is used twice: give each class its own code` });
  for (const name of duplicates(m.classes.map((c) => c.name))) out.push({ path: 'classes', message: `class name "${name}" is used twice: give each class its own name` });
  if (m.task === 'crop-mask' && m.classes.length !== 2) {
    out.push({ path: 'classes', message: `a crop-mask model has exactly 2 classes (non-crop, crop), not ${m.classes.length}: fix the classes or set task "crop-type"` });
  }
  for (const f of duplicates(m.features)) out.push({ path: 'features', message: `feature "${f}" is listed twice: each input column needs its own name` });
  const hash = featureOrderHash(m.features);
  if (m.featureOrder.hash !== hash) {
    out.push({ path: 'featureOrder.hash', message: `is "${m.featureOrder.hash}" but the features list hashes to "${hash}": the list was edited or reordered — fix the list or set the hash to "${hash}"` });
  }
  if (m.scaler) {
    for (const key of ['mean', 'std'] as const) {
      if (m.scaler[key].length !== m.features.length) out.push({ path: `scaler.${key}`, message: `has ${m.scaler[key].length} values but there are ${m.features.length} features: give one per feature, in features order` });
    }
  }
  const labels: (number | string)[] = m.output.labels;
  for (const l of duplicates(labels)) out.push({ path: 'output.labels', message: `label ${JSON.stringify(l)} appears twice: each probability column has its own label` });
  const numeric = typeof labels[0] === 'number';
  const classLabels = m.classes.map((c) => c.label ?? implicitLabel(c, numeric));
  m.classes.forEach((c, i) => {
    if (c.label !== undefined && typeof c.label !== typeof labels[0]) {
      out.push({ path: `classes[${i}].label`, message: `is a ${typeof c.label} but output.labels are ${numeric ? 'integers' : 'strings'}: use the same kind` });
    }
  });
  for (const l of duplicates(classLabels)) out.push({ path: 'classes', message: `two classes resolve to label ${JSON.stringify(l)}: set distinct "label" fields` });
  for (const l of labels) {
    if (!classLabels.includes(l)) out.push({ path: 'output.labels', message: `label ${JSON.stringify(l)} matches no class: add a class with ${numeric ? `code (or label) ${l}` : `name (or label) ${JSON.stringify(l)}`}, or fix the label` });
  }
  classLabels.forEach((l, i) => {
    if (!labels.includes(l)) out.push({ path: `classes[${i}]`, message: `class "${m.classes[i].name}" (label ${JSON.stringify(l)}) is not an output.labels column: the model never predicts it — remove it or set its "label"` });
  });
  return out;
}

/**
 * Validates a parsed `manifest.json` and applies defaults (class colours from {@link defaultPalette}).
 *
 * @throws GeoCropError `MODEL_INVALID`; the message lists every problem as `path: what to change`, and
 *   `details.issues` has them as `{ path, message }`.
 * @example
 * const manifest = parseModelManifest(JSON.parse(await (await fetch('/models/croptype-demo/manifest.json')).text()));
 */
export function parseModelManifest(json: unknown): ModelManifest {
  const parsed = manifestSchema.safeParse(json);
  const problems: Problem[] = parsed.success
    ? crossFieldProblems(parsed.data)
    : parsed.error.issues.map((iss) => ({
        path: pathOf(iss.path),
        message: iss.code === 'unrecognized_keys' ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}: remove or rename (see ModelManifest in shared/model/manifest.ts)` : iss.message,
      }));
  if (problems.length > 0 || !parsed.success) {
    const text = problems.map((p) => `${p.path || '(manifest)'}: ${p.message}`).join('; ');
    throw new GeoCropError('MODEL_INVALID', `Invalid model manifest${idOf(json)}: ${text}.`, { issues: problems });
  }
  const m = parsed.data;
  const palette = defaultPalette(m.classes.length);
  return { ...m, classes: m.classes.map((c, i) => ({ ...c, colour: (c.colour ?? palette[i]).toLowerCase() })) };
}

function idOf(json: unknown): string {
  const id = json && typeof json === 'object' ? (json as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? ` "${id}"` : '';
}

/**
 * For each probability column (in `output.labels` order), the index into `manifest.classes` of its class.
 * A parsed manifest guarantees this is a bijection.
 */
export function columnClassIndex(manifest: ModelManifest): number[] {
  const numeric = typeof manifest.output.labels[0] === 'number';
  const classLabels = manifest.classes.map((c) => c.label ?? implicitLabel(c, numeric));
  return (manifest.output.labels as (number | string)[]).map((l) => classLabels.indexOf(l));
}

/**
 * `n` distinct display colours (`#rrggbb`), the same for the same `n` on every platform: hues step by the golden
 * angle so neighbouring classes differ strongly, and lightness alternates so that a colour-blind reader still
 * separates consecutive ones.
 *
 * @example
 * defaultPalette(3); // ['#d94c3d', '#4cd93d'…] — three fixed colours
 */
export function defaultPalette(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const hue = (i * 137.50776405) % 360;
    const light = i % 2 === 0 ? 0.5 : 0.38;
    out.push(hslToHex(hue, 0.65, light));
  }
  return out;
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
