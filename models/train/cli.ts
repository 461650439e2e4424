/**
 * `npm run train -- --data FILE --label COLUMN --out models/<id> [options]` (script: `tsx models/train/cli.ts`).
 * Argument parsing lives in {@link parseTrainArgs} so it can be tested without running a training.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ALGORITHMS, type Algorithm, type LearnerSettings } from './classifier';
import type { ClassWeighting } from './class-weights';
import { train, type TrainingOptions } from './train';

/** Help text printed by `--help` and after argument errors. */
export const USAGE = `Usage: npm run train -- --data FILE --label COLUMN [--out DIR] [options]

Reads a CSV or whitespace-separated table (header line "# a b c" or a plain CSV header), holds out a stratified
test split, runs stratified k-fold cross-validation on the rest, fits the final model(s) on the rest, scores them
on the hold-out and writes DIR/model.json, DIR/metrics.json and DIR/card.md.

  --data FILE          training table
  --label COLUMN       label column name
  --out DIR            output directory (omit to only evaluate)
  --features a,b,c     feature columns in model order (default: all but the label)
  --algo LIST          ${ALGORITHMS.join(', ')}; comma-separated, several = averaged ensemble (default forest,mlp)
  --folds K            cross-validation folds, 0 = none (default 5)
  --holdout F          held-out test share, 0 = none (default 0.2)
  --seed N             seed of splits and learners (default 42)
  --trees N            forest / extra-trees: trees (default 100)
  --max-depth N        forest / extra-trees: deepest level (default 32); boosted: default 6
  --min-leaf N         forest / extra-trees: fewest samples per leaf (default 1); boosted: default 20
  --mtry N             forest / extra-trees: features per split (default sqrt(p))
  --class-weight MODE  none | balanced (all learners; default none)
  --rounds N           boosted: most rounds (default 300)
  --hidden a,b         mlp: hidden layer sizes (default 64,32)
  --epochs N           mlp: most epochs (default 200)
  --help`;

/** Thrown for bad command lines; the message is meant for the user. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

const STRING_OPTIONS = ['data', 'label', 'out', 'features', 'algo', 'folds', 'holdout', 'seed', 'trees', 'max-depth', 'min-leaf', 'mtry', 'class-weight', 'rounds', 'hidden', 'epochs'];
const OPTIONS: Record<string, { type: 'string' | 'boolean' }> = {
  ...Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: 'string' as const }])),
  help: { type: 'boolean' },
};

/** Parses command-line arguments (without `node script`) into training options; `null` means help was asked. */
export function parseTrainArgs(argv: readonly string[]): Omit<TrainingOptions, 'log'> | null {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = values as Record<string, string | undefined> & { help?: boolean };
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

  const forest = { nTrees: int('trees', v.trees, 1), maxDepth: int('max-depth', v['max-depth'], 0), minSamplesLeaf: int('min-leaf', v['min-leaf'], 1), mtry: int('mtry', v.mtry, 1), classWeight };
  const settings: LearnerSettings = {
    forest: prune(forest),
    'extra-trees': prune(forest),
    boosted: prune({ nRounds: int('rounds', v.rounds, 1), maxDepth: forest.maxDepth, minSamplesLeaf: forest.minSamplesLeaf, classWeight }),
    mlp: prune({ hidden, maxEpochs: int('epochs', v.epochs, 1), classWeight }),
  };
  return {
    data: v.data,
    label: v.label,
    out: v.out,
    features: v.features?.split(',').map((f) => f.trim()),
    algorithms: algorithms as Algorithm[],
    settings,
    folds,
    holdout,
    seed: int('seed', v.seed, 0),
  };
}

/** Drops undefined fields so learner defaults apply. */
function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseTrainArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === null) {
    console.log(USAGE);
    return;
  }
  const result = await train({ ...options, log: (line) => console.log(line) });
  console.log(`done in ${result.seconds.toFixed(1)} s; shipped model: ${result.shipped}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
    process.exitCode = 1;
  });
}
