/** Writes docs/features.md from the feature catalogue (`npm run docs:features`). */
import { writeFileSync } from 'node:fs';
import { featureTableMarkdown } from '../shared/features/feature-table';

writeFileSync(new URL('../docs/features.md', import.meta.url), featureTableMarkdown());
console.log('docs/features.md written');
