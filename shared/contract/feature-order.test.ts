import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT_V1, FEATURE_ORDER_V1, FEATURE_ORDER_VERSION, featureOrderHash } from './feature-order';

describe('featureOrderHash (FNV-1a 64-bit, names joined with \\n)', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(featureOrderHash([])).toBe('cbf29ce484222325');
    expect(featureOrderHash(['a'])).toBe('af63dc4c8601ec8c');
    expect(featureOrderHash(['foobar'])).toBe('85944171f73967e8');
  });

  it('pins a fixed list and detects reordering, renaming and joins', () => {
    const list = ['ndvi_peak', 'evi_peak', 'savi_peak'];
    expect(featureOrderHash(list)).toBe('afc8e0bcfc2f65a1');
    expect(featureOrderHash([...list].reverse())).not.toBe('afc8e0bcfc2f65a1');
    expect(featureOrderHash(['ndvi_peak', 'evi_peak', 'savi_pea'])).not.toBe('afc8e0bcfc2f65a1');
    expect(featureOrderHash(['a\nb'])).toBe(featureOrderHash(['a', 'b'])); // documented: the joined text is hashed
    expect(featureOrderHash(['é'])).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('FEATURE_ORDER_V1', () => {
  it('is reserved: version v1, 51 features, list filled by the pipeline issue', () => {
    expect(FEATURE_ORDER_VERSION).toBe('v1');
    expect(FEATURE_COUNT_V1).toBe(51);
    expect(FEATURE_ORDER_V1).toEqual([]);
    expect(Object.isFrozen(FEATURE_ORDER_V1)).toBe(true);
  });
});
