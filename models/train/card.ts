/**
 * The model card (`card.md`) of a trained bundle: the human-written notes (intended use, data provenance, limits,
 * credit) followed by what the run knows exactly: data, classes, features, method, cross-validated and hold-out
 * accuracy, bundle facts and the command that reproduces it.
 */
import type { ModelManifest } from '../../shared/model';
import type { EvaluationSummary, TrainingResult } from './train';
import type { LearnerSettings } from './classifier';
import { derivedNames, hasDerived } from './derived';

/** What the card says besides the training result. */
export interface CardFacts {
  manifest: ModelManifest;
  /** Markdown written by a person (from `--card FILE`), placed first. */
  notes?: string;
  /** The command line that reproduces the bundle. */
  command?: string;
  /** The command that produces the training table, run before {@link command} (e.g. the demo world's sampler). */
  dataCommand?: string;
  algorithms: readonly string[];
  settings: LearnerSettings;
  seed: number;
}

const pct = (v: number): string => (Number.isFinite(v) ? (100 * v).toFixed(1) : '—');
const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '—');

/** Markdown table of OA, balanced accuracy, macro F1, kappa and per-class F1 / PA / UA for several models. */
export function metricsTable(results: readonly EvaluationSummary[], classNames: readonly string[]): string {
  return [
    '| model | OA % | balanced acc. % | macro F1 | kappa | ' + classNames.map((c) => `${c}: F1 / PA % / UA %`).join(' | ') + ' |',
    '|---|---|---|---|---|' + classNames.map(() => '---|').join(''),
    ...results.map(
      (e) =>
        `| ${e.name} | ${pct(e.metrics.overallAccuracy)} | ${pct(e.metrics.balancedAccuracy)} | ${num(e.metrics.macroF1)} | ${num(e.metrics.kappa)} | ` +
        classNames.map((_, c) => `${num(e.metrics.f1[c])} / ${pct(e.metrics.producersAccuracy[c])} / ${pct(e.metrics.usersAccuracy[c])}`).join(' | ') +
        ' |',
    ),
  ].join('\n');
}

/** Confusion matrix as a markdown table, reference in rows. */
export function confusionTable(confusion: readonly (readonly number[])[], classNames: readonly string[]): string {
  return [
    '| reference ↓ / predicted → | ' + classNames.join(' | ') + ' |',
    '|---|' + classNames.map(() => '---:|').join(''),
    ...confusion.map((row, k) => `| ${classNames[k]} | ${row.join(' | ')} |`),
  ].join('\n');
}

function settingsLine(algorithms: readonly string[], settings: LearnerSettings): string {
  return algorithms
    .map((a) => {
      const s = settings[a as keyof LearnerSettings];
      const given = s && Object.keys(s).length ? ` (${Object.entries(s).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('-') : String(v)}`).join(', ')})` : ' (defaults)';
      return `${a}${given}`;
    })
    .join(' + ');
}

/**
 * The card text. Class names in tables are the manifest's, in the model's class-index order.
 *
 * @example
 * const card = modelCard(result, { manifest, notes, command: 'npm run train -- …', algorithms, settings, seed: 42 });
 */
export function modelCard(r: TrainingResult, facts: CardFacts): string {
  const m = facts.manifest;
  const nameOf = new Map(m.classes.map((c) => [c.code, c.name]));
  const names = (m.output.labels as number[]).map((l) => nameOf.get(l) ?? String(l));
  const shipped = r.holdout?.results.find((e) => e.name === r.shipped);
  const lines = [
    facts.notes?.trim() ? facts.notes.trim() : `# ${m.id}`,
    '',
    '## Bundle',
    '',
    `- id \`${m.id}\`, version ${m.version}, task ${m.task}, created ${m.created}, licence ${m.licence}`,
    `- \`model.onnx\`: ${m.onnx.bytes.toLocaleString('en')} bytes, SHA-256 \`${m.onnx.sha256}\``,
    `- input \`${m.input.name}\` float32 [N, ${m.features.length}], output \`${m.output.probabilities}\` float32 [N, ${m.classes.length}]`,
    `- classes (code name): ${m.classes.map((c) => `${c.code} ${c.name}`).join(', ')}`,
    `- features (feature order \`${m.featureOrder.version}\`, hash \`${m.featureOrder.hash}\`): ${m.features.map((f) => `\`${f}\``).join(' ')}`,
    ...(hasDerived(r.dataset.derived)
      ? [`- derived inside the graph from those inputs (${derivedNames(r.dataset.derived).length} columns, appended after them): ${derivedNames(r.dataset.derived).map((f) => `\`${f}\``).join(' ')}; \`nd(a,b)\` = (a − b) / (a + b)`]
      : []),
    '',
    '## Training',
    '',
    `- data: \`${r.dataset.file}\` (SHA-256 \`${m.training.dataSha256}\`), label column \`${r.dataset.label}\`, ${r.dataset.rows} rows; ` +
      `per class: ${names.map((n, k) => `${n} ${r.dataset.classCounts[k]}`).join(', ')}`,
    `- ${m.training.description}`,
    `- model: ${r.shipped === 'ensemble' ? 'probability average of ' : ''}${settingsLine(facts.algorithms, facts.settings)}, seed ${facts.seed}`,
    `- the shipped model was fitted on the ${r.holdout?.trainRows ?? r.dataset.rows} development rows${r.holdout ? `; the ${r.holdout.testRows} hold-out rows were used once, to score it` : ''}`,
    '',
    'PA = producer\'s accuracy (recall), UA = user\'s accuracy (precision), OA = overall accuracy, balanced accuracy =',
    'mean PA over the classes; all on samples of the training table, not on an independent map validation.',
    '',
  ];
  if (r.crossValidation) {
    lines.push(`## Stratified ${r.crossValidation.k}-fold cross-validation (${r.crossValidation.rows} development rows, pooled)`, '', metricsTable(r.crossValidation.results, names), '');
  }
  if (r.holdout && shipped) {
    lines.push(
      `## Hold-out test (${r.holdout.testRows} rows, ${pct(r.holdout.fraction)} % stratified, never used for choices)`,
      '',
      metricsTable(r.holdout.results, names),
      '',
      `Confusion matrix of the shipped model (${r.shipped}) on the hold-out:`,
      '',
      confusionTable(shipped.metrics.confusion, names),
      '',
    );
  }
  const commands = [facts.dataCommand, facts.command].filter((c): c is string => !!c);
  if (commands.length) lines.push('## Reproduce', '', 'From the repository root:', '', '```sh', ...commands, '```', '');
  return lines.join('\n');
}
