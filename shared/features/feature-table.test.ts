import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureTableMarkdown } from './feature-table';
import { FEATURE_CATALOGUE, bandsForFeatures } from './catalogue';
import { FEATURE_ORDER_V1 } from '../contract/feature-order';

describe('feature catalogue and its documentation', () => {
  it('docs/features.md is the generated table (run `npm run docs:features` after changing the catalogue)', () => {
    const doc = readFileSync(new URL('../../docs/features.md', import.meta.url), 'utf8');
    expect(doc).toBe(featureTableMarkdown());
  });
  it('starts with FEATURE_ORDER_V1 and documents every feature with a formula and a unit', () => {
    expect(FEATURE_CATALOGUE.slice(0, 51).map((d) => d.name)).toEqual([...FEATURE_ORDER_V1]);
    for (const d of FEATURE_CATALOGUE) {
      expect(d.formula.length).toBeGreaterThan(10);
      expect(d.unit.length).toBeGreaterThan(0);
    }
  });
  it('knows which bands a feature list needs', () => {
    expect(bandsForFeatures(['ndvi_peak', 'savi_mean'])).toEqual(['red', 'nir']);
    expect(bandsForFeatures(['ndmi_peak', 'ndvi_sep'])).toEqual(['red', 'nir', 'nir08', 'swir16']);
    expect(bandsForFeatures(FEATURE_ORDER_V1)).toHaveLength(10);
    expect(() => bandsForFeatures(['ndvi_peek'])).toThrow(/ndvi_peek/);
  });
});
