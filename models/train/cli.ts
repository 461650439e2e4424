/**
 * `npm run train -- --data FILE --label COLUMN --out models/<id> [options]` (script: `tsx models/train/cli.ts`).
 * Argument parsing lives in {@link parseTrainArgs} so it can be tested without running a training.
 */
import { runCommand, UsageError } from '../cli-entry';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MODEL_TASKS, type ModelTask } from '../../shared/model';
import { CLASS_SCHEMES, type ClassScheme } from './bundle-classes';
import { ALGORITHMS, type Algorithm, type LearnerSettings } from './classifier';
import { suffixPairs, type DerivedFeatures, type FeaturePair } from './derived';
import { readTableHeader } from './table';
import type { ClassWeighting } from './class-weights';
import { train, type TrainingOptions } from './train';

/**
 * Forest defaults of `npm run train` (the learner's own are "fully grown" trees): depth 11 and 5 samples per leaf
 * keep a 100-tree forest on 50,000 × 51 noisy 10-class samples near 8 MB of ONNX, inside the 10 MB bundle budget
 * (fully grown it is about 100 MB); on separable data trees stop well before either limit.
 */
export const FOREST_DEFAULTS = { nTrees: 100, maxDepth: 11, minSamplesLeaf: 5 } as const;

/** Help text printed by `--help` and after argument errors. */
export const USAGE = `Usage: npm run train -- --data FILE --label COLUMN [--out models/ID --licence SPDX] [options]

Reads a CSV or whitespace-separated table (header line "# a b c" or a plain CSV header), holds out a stratified
test split, runs stratified k-fold cross-validation on the rest, fits the final model(s) on the rest, scores them
on the hold-out, exports the shipped model to ONNX, checks it predicts as the trained model does, and writes the
bundle models/ID/{model.onnx, manifest.json, card.md} and its models/index.json entry.

  --data FILE          training table
  --label COLUMN       label column name
  --out DIR            bundle folder models/ID (omit to only evaluate)
  --licence SPDX       licence of the weights, e.g. CC-BY-4.0 (required with --out)
  --id ID              bundle id (default and must be: the --out folder name)
  --version SEMVER     default 1.0.0
  --classes SCHEME     crop-types (labels are class codes 0-9 or names), crop-mask (0/1 or non-crop/crop),
                       labels (as found; default)
  --task TASK          crop-type | crop-mask (default crop-mask for --classes crop-mask, else crop-type)
  --description TEXT   what the training data is (source, region, season)
  --feature-order V    feature order version (default v1 when the features are FEATURE_ORDER_V1, else ID-1)
  --card FILE          markdown that opens card.md (intended use, provenance, limits, credit)
  --data-command CMD   the command that produced --data, listed in the card before the training command
  --created DATE       manifest date, ISO 8601 (default today)
  --external-features  the features are not the pipeline's catalogue (check the bundle against its own list);
                       the app cannot feed such a bundle, so write it outside models/
  --features a,b,c     feature columns in model order (default: all but the label)
  --diff A:B,…         add derived columns A − B (computed inside model.onnx from the inputs)
  --diff-suffixes X:Y  add A − B for every feature pair A = <v>X, B = <v>Y (e.g. _S1:_S2, one per variable)
  --nd A:B,…           add normalised differences (A − B) / (A + B)
  --algo LIST          ${ALGORITHMS.join(', ')}; comma-separated, several = averaged ensemble (default forest,mlp)
  --folds K            cross-validation folds, 0 = none (default 5)
  --holdout F          held-out test share, 0 = none (default 0.2)
  --seed N             seed of splits and learners (default 42)
  --trees N            forest / extra-trees: trees (default ${FOREST_DEFAULTS.nTrees})
  --max-depth N        forest / extra-trees: deepest level (default ${FOREST_DEFAULTS.maxDepth}); boosted: default 6
  --min-leaf N         forest / extra-trees: fewest samples per leaf (default ${FOREST_DEFAULTS.minSamplesLeaf}); boosted: default 20
  --mtry N             forest / extra-trees: features per split (default sqrt(p))
  --class-weight MODE  none | balanced (all learners; default none)
  --rounds N           boosted: most rounds (default 300)
  --hidden a,b         mlp: hidden layer sizes (default 64,32)
  --epochs N           mlp: most epochs (default 200)
  --help`;

export { UsageError };

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

const STRING_OPTIONS = ['data', 'label', 'out', 'licence', 'id', 'version', 'classes', 'task', 'description', 'feature-order', 'card', 'data-command', 'created', 'features', 'diff', 'diff-suffixes', 'nd', 'algo', 'folds', 'holdout', 'seed', 'trees', 'max-depth', 'min-leaf', 'mtry', 'class-weight', 'rounds', 'hidden', 'epochs'];
const OPTIONS: Record<string, { type: 'string' | 'boolean' }> = {
  ...Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: 'string' as const }])),
  help: { type: 'boolean' },
  'external-features': { type: 'boolean' },
};

/** Derived columns as the command line gives them (suffix pairs are resolved once the table's columns are known). */
export interface DerivedSpec {
  diff: FeaturePair[];
  suffixes?: FeaturePair;
  nd: FeaturePair[];
}

/** A parsed command line: training options, plus the card notes file and the derived columns the caller resolves. */
export type TrainCommand = Omit<TrainingOptions, 'log'> & { cardFile?: string; derivedSpec?: DerivedSpec };

/** `npm run train -- …` with each argument shell-quoted where needed: the card's reproduction line. */
export function commandLine(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w./,:=+@%-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['npm run train --', ...argv.map(quote)].join(' ');
}

/** Parses command-line arguments (without `node script`) into training options; `null` means help was asked. */
export function parseTrainArgs(argv: readonly string[]): TrainCommand | null {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = values as Record<string, string | undefined> & { help?: boolean; 'external-features'?: boolean };
  if (v.help) return null;
  if (!v.data) throw new UsageError('--data is required');
  if (!v.label) throw new UsageError('--label is required');
  const algorithms = (v.algo ?? 'forest,mlp').split(',').map((a) => a.trim());
  for (const a of algorithms) if (!(ALGORITHMS as readonly string[]).includes(a)) throw new UsageError(`unknown --algo "${a}"; choose from ${ALGORITHMS.join(', ')}`);
  if (new Set(algorithms).size !== algorithms.length) throw new UsageError('--algo lists an algorithm twice');
  const holdout = v.holdout === undefined ? undefined : Number(v.holdout);
  if (holdout !== undefined && !(holdout >= 0 && holdout < 1)) throw new UsageError(`--holdout must be in [0, 1), got "${v.holdout}"`);
  const cw = v['class-weight'];
  if (cw !== undefined && cw !== 'none' && cw !== 'balanced') throw new UsageError(`--class-weight must be none or balanced, got "${cw}"`);
  const classWeight: ClassWeighting | undefined = cw;
  const hidden = v.hidden?.split(',').map((h) => int('hidden', h.trim(), 1)!);
  const folds = int('folds', v.folds, 0);
  if (folds === 1) throw new UsageError('--folds must be 0 (none) or at least 2');

  const maxDepth = int('max-depth', v['max-depth'], 0);
  const minSamplesLeaf = int('min-leaf', v['min-leaf'], 1);
  const forest = {
    nTrees: int('trees', v.trees, 1) ?? FOREST_DEFAULTS.nTrees,
    maxDepth: maxDepth ?? FOREST_DEFAULTS.maxDepth,
    minSamplesLeaf: minSamplesLeaf ?? FOREST_DEFAULTS.minSamplesLeaf,
    mtry: int('mtry', v.mtry, 1),
    classWeight,
  };
  const settings: LearnerSettings = {
    forest: prune(forest),
    'extra-trees': prune(forest),
    boosted: prune({ nRounds: int('rounds', v.rounds, 1), maxDepth, minSamplesLeaf, classWeight }),
    mlp: prune({ hidden, maxEpochs: int('epochs', v.epochs, 1), classWeight }),
  };
  const scheme = v.classes;
  if (scheme !== undefined && !(CLASS_SCHEMES as readonly string[]).includes(scheme)) throw new UsageError(`--classes must be one of ${CLASS_SCHEMES.join(', ')}, got "${scheme}"`);
  if (v.task !== undefined && !(MODEL_TASKS as readonly string[]).includes(v.task)) throw new UsageError(`--task must be one of ${MODEL_TASKS.join(', ')}, got "${v.task}"`);
  if (v.out === undefined) {
    const orphan = ['licence', 'id', 'version', 'classes', 'task', 'description', 'feature-order', 'card', 'data-command', 'created', 'external-features'].filter((k) => v[k] !== undefined);
    if (orphan.length) throw new UsageError(`${orphan.map((k) => `--${k}`).join(', ')} describe a bundle: give --out models/<id> too`);
  } else if (!v.licence) throw new UsageError('--licence is required with --out (the licence of the weights, e.g. CC-BY-4.0)');
  const bundle: TrainingOptions['bundle'] = v.out === undefined ? undefined : prune({
    out: v.out,
    licence: v.licence!,
    id: v.id,
    version: v.version,
    classes: scheme as ClassScheme | undefined,
    task: v.task as ModelTask | undefined,
    description: v.description,
    featureOrder: v['feature-order'],
    dataCommand: v['data-command'],
    created: v.created,
    externalFeatures: v['external-features'],
    command: commandLine(argv),
  });
  return {
    data: v.data,
    label: v.label,
    bundle,
    ...(v.diff || v['diff-suffixes'] || v.nd ? { derivedSpec: { diff: pairs('diff', v.diff), suffixes: v['diff-suffixes'] === undefined ? undefined : pairs('diff-suffixes', v['diff-suffixes'])[0], nd: pairs('nd', v.nd) } } : {}),
    cardFile: v.card,
    features: v.features?.split(',').map((f) => f.trim()),
    algorithms: algorithms as Algorithm[],
    settings,
    folds,
    holdout,
    seed: int('seed', v.seed, 0),
  };
}

function pairs(flag: string, list: string | undefined): FeaturePair[] {
  if (list === undefined) return [];
  return list.split(',').map((item) => {
    const parts = item.trim().split(':');
    if (parts.length !== 2 || (flag !== 'diff-suffixes' && parts.some((p) => p === ''))) throw new UsageError(`--${flag} takes A:B pairs separated by commas, got "${item}"`);
    return [parts[0], parts[1]] as const;
  });
}

/**
 * The derived columns a command line asks for, resolved against the table's feature names (suffix pairs need
 * them): explicit differences, then suffix differences, then normalised differences.
 */
export function resolveDerived(spec: DerivedSpec, features: readonly string[]): DerivedFeatures {
  const suffix = spec.suffixes ? suffixPairs(features, spec.suffixes[0], spec.suffixes[1]) : [];
  if (spec.suffixes && suffix.length === 0) throw new UsageError(`--diff-suffixes ${spec.suffixes.join(':')} matches no pair of features`);
  return { differences: [...spec.diff, ...suffix], normalisedDifferences: spec.nd };
}

/** Drops undefined fields so learner defaults apply. */
function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

runCommand(import.meta.url, USAGE, parseTrainArgs, async (options) => {
  const { cardFile, derivedSpec, ...training } = options;
  if (cardFile !== undefined && training.bundle) training.bundle = { ...training.bundle, notes: await readFile(cardFile, 'utf8') };
  if (derivedSpec) {
    const features = training.features ?? (await readTableHeader(training.data)).filter((c) => c !== training.label);
    training.derived = resolveDerived(derivedSpec, features);
  }
  const result = await train({ ...training, log: (line) => console.log(line) });
  console.log(`done in ${result.seconds.toFixed(1)} s; shipped model: ${result.shipped}`);
});
