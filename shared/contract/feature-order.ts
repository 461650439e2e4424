/**
 * The order of the per-pixel features a model consumes. A model bundle records the version and hash of the order
 * it was trained on, so a mismatch is caught before inference instead of silently producing wrong classes.
 */

/** Version of the feature order in use. */
export const FEATURE_ORDER_VERSION = 'v1';

/** Number of features in {@link FEATURE_ORDER_V1} once it is defined. */
export const FEATURE_COUNT_V1 = 51;

/**
 * The 51 feature names of order v1, in the order they are stacked.
 *
 * EMPTY ON PURPOSE: the feature pipeline issue defines the 51 names (and fills this list), and adds a test that
 * pins its length to {@link FEATURE_COUNT_V1} and its {@link featureOrderHash}. Do not invent names here.
 */
export const FEATURE_ORDER_V1: readonly string[] = Object.freeze([]);

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/**
 * A deterministic fingerprint of a feature order: FNV-1a 64-bit over the UTF-8 bytes of the names joined with
 * `'\n'`, as 16 lower-case hex digits. Not cryptographic; it detects a changed, added, removed or reordered name.
 *
 * @example
 * featureOrderHash(['ndvi_peak', 'evi_peak', 'savi_peak']); // 'afc8e0bcfc2f65a1'
 */
export function featureOrderHash(names: readonly string[]): string {
  const bytes = new TextEncoder().encode(names.join('\n'));
  let h = FNV64_OFFSET;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h.toString(16).padStart(16, '0');
}
