/**
 * How a band's digital numbers (DN, uint16) become surface reflectance: `reflectance = DN * scale + offset`.
 *
 * Rules, first match wins:
 * 1. Explicit `raster:bands[0].scale` / `offset` on the asset (Element84 and DEA's stored c1 items).
 * 2. SCL is a class map: scale 1, offset 0.
 * 3. Collection 1 (`s2_l2a_c1`): harmonised, `(DN − 1000) / 10000` for every acquisition date, because the
 *    product definition declares `add_offset: -1000` on every reflectance band.
 * 4. Everything else (legacy `s2_l2a`, other collections): `DN / 10000`, minus 0.1 only when the processing
 *    baseline is ≥ 04.00 (ESA added the +1000 `BOA_ADD_OFFSET` from baseline 04.00, 2022-01-25) and the
 *    producer did not already remove it.
 */
import type { BandName } from './band-names';
import { baselineNumber, type SceneFamily } from './scene-metadata';

/** Reflectance per DN in Sentinel-2 L2A (quantification value 10000). */
export const S2_SCALE = 1e-4;
/** ESA's BOA offset (−1000 DN) in reflectance units. */
export const S2_BOA_OFFSET = -0.1;
/** First acquisition day ESA processed with baseline 04.00; used only when an item names no baseline. */
export const BASELINE_0400_START = '2022-01-25';

/** Scale/offset and where they came from (kept for logs and the statistical sanity check downstream). */
export interface DnConversion {
  scale: number;
  offset: number;
  source: 'raster:bands' | 'scl' | 'c1' | 'baseline';
}

/** What the rules need to know about one band of one scene. */
export interface DnConversionInput {
  band: BandName;
  family: SceneFamily;
  /** `raster:bands[0]` of the asset, when present. */
  rasterBand?: { scale?: number; offset?: number };
  /** `"04.00"` or null when unknown. */
  processingBaseline: string | null;
  /** The item's BOA-offset flag, or null when it has none. */
  boaOffsetApplied: boolean | null;
  /** Acquisition date `YYYY-MM-DD` (UTC), the fallback when the baseline is unknown. */
  date: string;
}

/**
 * True when the DNs still carry ESA's +1000 offset under rule 4.
 *
 * An absent flag with baseline ≥ 04.00 counts as "not applied". In DEA's real legacy documents the flag appears
 * together with baseline 04.00 (e.g. the 2022-08-08 37MCQ document: `sentinel:processing_baseline: '04.00'`,
 * `sentinel:boa_offset_applied: true`) and is absent from every pre-04.00 document: it was introduced by the
 * converter that handles the offset. An item with baseline ≥ 04.00 but no flag therefore comes from a converter
 * that did not touch the DNs, which still hold ESA's raw values (offset included). The parsed scene keeps
 * `boaOffsetApplied: null` so the statistical sanity check can tell a guess from a stated fact.
 */
export function dnStillOffset(baseline: string | null, boaApplied: boolean | null, date: string): boolean {
  const from0400 = baseline !== null ? baselineNumber(baseline) >= 4 : date >= BASELINE_0400_START;
  return from0400 && boaApplied !== true;
}

/**
 * The DN → reflectance conversion for one band (see module doc for the rules).
 *
 * @example
 * dnConversion({ band: 'red', family: 'legacy', processingBaseline: '04.00', boaOffsetApplied: true, date: '2022-08-08' });
 * // { scale: 0.0001, offset: 0, source: 'baseline' }
 */
export function dnConversion(input: DnConversionInput): DnConversion {
  const rb = input.rasterBand;
  if (rb && (rb.scale !== undefined || rb.offset !== undefined)) {
    return { scale: rb.scale ?? 1, offset: rb.offset ?? 0, source: 'raster:bands' };
  }
  if (input.band === 'scl') return { scale: 1, offset: 0, source: 'scl' };
  if (input.family === 'c1') return { scale: S2_SCALE, offset: S2_BOA_OFFSET, source: 'c1' };
  const offset = dnStillOffset(input.processingBaseline, input.boaOffsetApplied, input.date) ? S2_BOA_OFFSET : 0;
  return { scale: S2_SCALE, offset, source: 'baseline' };
}
