/**
 * The order of the per-pixel features a model consumes. A model bundle records the version and hash of the order
 * it was trained on, so a mismatch is caught before inference instead of silently producing wrong classes.
 */

/** Version of the feature order in use. */
export const FEATURE_ORDER_VERSION = 'v1';

/** Number of features in {@link FEATURE_ORDER_V1}. */
export const FEATURE_COUNT_V1 = 51;

/**
 * The 51 feature names of order v1, in the order they are stacked. Frozen: models record this order's version and
 * {@link featureOrderHash}; changing a name or the order breaks the pinned hash in feature-order.test.ts on
 * purpose (bump the version instead). Formulas and units: `shared/features/catalogue.ts` and docs/features.md.
 */
export const FEATURE_ORDER_V1: readonly string[] = Object.freeze([
  // Monthly median NDVI, gap-filled (9)
  'ndvi_sep', 'ndvi_oct', 'ndvi_nov', 'ndvi_dec', 'ndvi_jan', 'ndvi_feb', 'ndvi_mar', 'ndvi_apr', 'ndvi_may',
  // Seasonal maxima (8)
  'ndvi_peak', 'evi_peak', 'savi_peak', 'msavi2_peak', 'ndre_peak', 'ndmi_peak', 'ndwi_peak', 'bsi_peak',
  // Seasonal means (8)
  'ndvi_mean', 'evi_mean', 'savi_mean', 'msavi2_mean', 'ndre_mean', 'ndmi_mean', 'ndwi_mean', 'bsi_mean',
  // NDVI distribution (7)
  'ndvi_min', 'ndvi_p10', 'ndvi_p25', 'ndvi_p50', 'ndvi_p75', 'ndvi_p90', 'ndvi_std',
  // Phenology timing and shape (5)
  'ndvi_peak_day', 'greenup_day', 'senescence_day', 'season_length', 'ndvi_auc',
  // Reflectance at the NDVI peak (10)
  'blue_at_peak', 'green_at_peak', 'red_at_peak', 'rededge1_at_peak', 'rededge2_at_peak', 'rededge3_at_peak',
  'nir_at_peak', 'nir08_at_peak', 'swir16_at_peak', 'swir22_at_peak',
  // Dry season, Sep–Oct means (4)
  'ndvi_dry', 'bsi_dry', 'ndmi_dry', 'swir16_dry',
]);

/** The pinned {@link featureOrderHash} of {@link FEATURE_ORDER_V1} (checked by a test). */
export const FEATURE_ORDER_V1_HASH = 'fcc5ef42ab037ca8';

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
