/**
 * `npm run model:eval -- --model ID --data FILE [--label COLUMN] [--models DIR] [--threads N]` (script:
 * `tsx models/eval/cli.ts`): scores a bundle on a labelled table with the app's inference code and prints the
 * metrics as JSON (overall accuracy, macro F1, kappa, per-class producer's / user's accuracy and F1, confusion).
 */
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { configureWasmThreads } from '../../shared/model';
import { MODELS_DIR } from '../bundles';
import { runCommand, UsageError } from '../cli-entry';
import { DEFAULT_LABEL_COLUMNS, evaluateBundle, type EvaluateBundleOptions } from './evaluate-bundle';

/** Help text. */
export const USAGE = `Usage: npm run model:eval -- --model ID --data FILE [--label COLUMN] [--models DIR] [--threads N]

Runs models/ID (model.onnx + manifest.json) through onnxruntime-web exactly as the app does over every row of
FILE (CSV or whitespace table with a header; feature columns matched to the model by name) and prints metrics
JSON: overallAccuracy, macroF1, kappa, balancedAccuracy, per-class producersAccuracy / usersAccuracy / f1 /
support, and confusion[reference][predicted]. Labels are class codes or class names.

  --model ID       bundle id
  --data FILE      labelled table
  --label COLUMN   label column (default: the first of ${DEFAULT_LABEL_COLUMNS.join(', ')})
  --models DIR     folder with the bundles (default: this repository's models/)
  --threads N      onnxruntime-web wasm threads (default 1)
  --help`;


/** Parsed arguments: evaluation options without the runtime, plus the thread count; `null` for `--help`. */
export function parseEvalArgs(argv: readonly string[]): (Omit<EvaluateBundleOptions, 'ort'> & { threads: number }) | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { model: { type: 'string' }, data: { type: 'string' }, label: { type: 'string' }, models: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return null;
  if (!values.model) throw new UsageError('--model is required');
  if (!values.data) throw new UsageError('--data is required');
  const threads = Number(values.threads ?? '1');
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be a whole number ≥ 1, got "${values.threads}"`);
  return { id: values.model, data: values.data, root: values.models ?? MODELS_DIR, threads, ...(values.label ? { label: values.label } : {}) };
}

runCommand(import.meta.url, USAGE, parseEvalArgs, async ({ threads, ...rest }) => {
  configureWasmThreads(ort, threads);
  console.log(JSON.stringify(await evaluateBundle({ ...rest, ort }), null, 2));
});
