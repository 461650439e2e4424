import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT_V1, FEATURE_ORDER_V1, FEATURE_ORDER_V1_HASH, FEATURE_ORDER_VERSION, featureOrderHash } from './feature-order';

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
  it('is frozen: version v1, 51 unique names, pinned hash (change the order = bump the version)', () => {
    expect(FEATURE_ORDER_VERSION).toBe('v1');
    expect(FEATURE_ORDER_V1).toHaveLength(FEATURE_COUNT_V1);
    expect(FEATURE_COUNT_V1).toBe(51);
    expect(new Set(FEATURE_ORDER_V1).size).toBe(51);
    expect(Object.isFrozen(FEATURE_ORDER_V1)).toBe(true);
    // Pinned literally, not computed from the list: a changed list must fail here.
    expect(featureOrderHash(FEATURE_ORDER_V1)).toBe('fcc5ef42ab037ca8');
    expect(FEATURE_ORDER_V1_HASH).toBe('fcc5ef42ab037ca8');
    expect(FEATURE_ORDER_V1[0]).toBe('ndvi_sep');
    expect(FEATURE_ORDER_V1[50]).toBe('swir16_dry');
  });
});
