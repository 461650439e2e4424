/**
 * `npm run model:eval -- --model ID --data FILE [--label COLUMN] [--models DIR] [--threads N]` (script:
 * `tsx models/eval/cli.ts`): scores a bundle on a labelled table with the app's inference code and prints the
 * metrics as JSON (overall accuracy, macro F1, kappa, per-class producer's / user's accuracy and F1, confusion).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-web';
import { configureWasmThreads } from '../../shared/model';
import { MODELS_DIR } from '../bundles';
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

/** A command-line mistake; the message is for the user. */
export class EvalUsageError extends Error {
  override readonly name = 'EvalUsageError';
}

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
    throw new EvalUsageError((e as Error).message);
  }
  if (values.help) return null;
  if (!values.model) throw new EvalUsageError('--model is required');
  if (!values.data) throw new EvalUsageError('--data is required');
  const threads = Number(values.threads ?? '1');
  if (!Number.isInteger(threads) || threads < 1) throw new EvalUsageError(`--threads must be a whole number ≥ 1, got "${values.threads}"`);
  return { id: values.model, data: values.data, root: values.models ?? MODELS_DIR, threads, ...(values.label ? { label: values.label } : {}) };
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseEvalArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof EvalUsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === null) {
    console.log(USAGE);
    return;
  }
  const { threads, ...rest } = options;
  configureWasmThreads(ort, threads);
  console.log(JSON.stringify(await evaluateBundle({ ...rest, ort }), null, 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
    process.exitCode = 1;
  });
}
