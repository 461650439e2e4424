/**
 * The feature catalogue as a Markdown table: docs/features.md embeds it, and a test checks the file still
 * matches the code (regenerate with `npm run docs:features`).
 */
import { FEATURE_ORDER_V1, FEATURE_ORDER_V1_HASH, FEATURE_ORDER_VERSION } from '../contract/feature-order';
import { FEATURE_CATALOGUE } from './catalogue';
import { INDEX_DEFS, INDEX_NAMES } from './indices';

/** Markdown for docs/features.md. */
export function featureTableMarkdown(): string {
  const lines = [
    '# Feature catalogue',
    '',
    `Generated from \`shared/features/catalogue.ts\` by \`npm run docs:features\`; a test fails when this file and the code disagree.`,
    '',
    `Feature order **${FEATURE_ORDER_VERSION}**: ${FEATURE_ORDER_V1.length} features, hash \`${FEATURE_ORDER_V1_HASH}\` (FNV-1a 64 of the names joined with newlines). Models record the version and hash they were trained on.`,
    'Reflectance is surface reflectance 0–1 after SCL masking and the DN conversion; "clear observations" are the dates whose SCL class is 2, 4, 5, 6 or 7 at that pixel. Days count from Sep 1 of the season year.',
    '',
    '## Indices',
    '',
    '| index | formula |',
    '|---|---|',
    ...INDEX_NAMES.map((i) => `| ${i.toUpperCase()} | ${INDEX_DEFS[i].formula} |`),
    '',
    '## Features',
    '',
    '| # | name | in v1 | formula | unit | bands |',
    '|---|---|---|---|---|---|',
    ...FEATURE_CATALOGUE.map((d, i) => `| ${i + 1} | \`${d.name}\` | ${i < FEATURE_ORDER_V1.length ? 'yes' : 'no'} | ${d.formula} | ${d.unit} | ${d.bands.join(', ') || '—'} |`),
    '',
  ];
  return lines.join('\n');
}
