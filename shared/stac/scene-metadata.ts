/**
 * Scene-level facts read from a STAC Item's properties, tolerant of the three naming schemes in use:
 * Element84 / c1 (`s2:*`, `mgrs:*`, `grid:code`), legacy `s2_l2a` (`sentinel:*`), and EO3 → Explorer
 * (`odc:region_code`, `title` = EO3 label = ESA product id).
 */

/** Which DEA product family an item belongs to; it decides the DN → reflectance rule when no `raster:bands`. */
export type SceneFamily = 'c1' | 'legacy' | 'other';

type Props = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** `s2_l2a_c1` (DEA) and `sentinel-2-c1-l2a` (Element84) are the harmonised Collection 1. */
export function sceneFamily(collection: string): SceneFamily {
  const c = collection.toLowerCase();
  if (c === 's2_l2a_c1' || c === 'sentinel-2-c1-l2a') return 'c1';
  if (c === 's2_l2a') return 'legacy';
  return 'other';
}

// An MGRS tile id as Sentinel-2 writes it: 2-digit UTM zone, latitude band C–X (no I, O), 2-letter square.
const MGRS = /^(\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z][A-HJ-NP-V])$/i;
// The tile inside product names: `..._T36KSF_...` (ESA / c1) or `S2A_36KSF_2023...` (Element84 legacy ids).
const MGRS_IN_NAME = /(?:^|_)T?(\d{2}[C-HJ-NP-X][A-HJ-NP-Z][A-HJ-NP-V])(?:_|$)/i;

function normaliseTile(raw: string): string | null {
  const m = MGRS.exec(raw.trim());
  if (!m) return null;
  return `${m[1].padStart(2, '0')}${m[2]}${m[3]}`.toUpperCase();
}

function tileFromParts(zone: unknown, band: unknown, square: unknown): string | null {
  const z = typeof zone === 'number' ? String(zone) : str(zone);
  const b = str(band);
  const s = str(square);
  return z && b && s ? normaliseTile(`${z}${b}${s}`) : null;
}

/**
 * The scene's MGRS tile (e.g. `36KSF`), from the first source that has one: `odc:region_code`, `grid:code`
 * (`MGRS-36KSF`), `mgrs:utm_zone`+`mgrs:latitude_band`+`mgrs:grid_square`, the same `sentinel:*` triple, and
 * last the product name in `title` / `id`. `null` when none has a valid tile id.
 */
export function sceneTile(props: Props, id: string): string | null {
  const region = str(props['odc:region_code']);
  const fromRegion = region ? normaliseTile(region) : null;
  if (fromRegion) return fromRegion;
  const grid = str(props['grid:code']);
  const fromGrid = grid?.toUpperCase().startsWith('MGRS-') ? normaliseTile(grid.slice(5)) : null;
  if (fromGrid) return fromGrid;
  const fromMgrs = tileFromParts(props['mgrs:utm_zone'], props['mgrs:latitude_band'], props['mgrs:grid_square']);
  if (fromMgrs) return fromMgrs;
  const fromSentinel = tileFromParts(
    props['sentinel:utm_zone'], props['sentinel:latitude_band'], props['sentinel:grid_square'],
  );
  if (fromSentinel) return fromSentinel;
  for (const name of [str(props.title), id]) {
    const m = name ? MGRS_IN_NAME.exec(name) : null;
    if (m) return m[1].toUpperCase();
  }
  return null;
}

// `N0400` inside ESA product names (`S2A_MSIL2A_20220808T072631_N0400_R049_...`) is baseline 04.00.
const BASELINE_IN_NAME = /_N(\d{2})(\d{2})(?:_|\.|$)/;
const BASELINE = /^\d{1,2}\.\d{2}$/;

/**
 * The ESA processing baseline as `"04.00"`: `s2:processing_baseline` (c1, earth-search),
 * `sentinel:processing_baseline` (legacy), else decoded from the product name in `s2:product_uri`,
 * `sentinel:product_id`, `title` or `id` (older legacy docs carry only the name). `null` when unknown.
 */
export function processingBaseline(props: Props, id: string): string | null {
  for (const key of ['s2:processing_baseline', 'sentinel:processing_baseline']) {
    const v = props[key];
    const s = typeof v === 'number' ? v.toFixed(2) : str(v);
    if (s && BASELINE.test(s)) return s.padStart(5, '0');
  }
  for (const v of [props['s2:product_uri'], props['sentinel:product_id'], props.title, id]) {
    const m = typeof v === 'string' ? BASELINE_IN_NAME.exec(v) : null;
    if (m) return `${m[1]}.${m[2]}`;
  }
  return null;
}

/** `"04.00"` → 4. */
export function baselineNumber(baseline: string): number {
  return Number.parseFloat(baseline);
}

/**
 * Whether the producer already removed ESA's +1000 BOA offset from the DNs: `sentinel:boa_offset_applied`
 * (DEA legacy) or `earthsearch:boa_offset_applied` (Element84). `null` when the item does not say.
 */
export function boaOffsetApplied(props: Props): boolean | null {
  for (const key of ['sentinel:boa_offset_applied', 'earthsearch:boa_offset_applied', 's2:boa_offset_applied']) {
    const v = props[key];
    if (typeof v === 'boolean') return v;
  }
  return null;
}

/** EPSG code from `proj:epsg`, or from `proj:code` (`"EPSG:32736"`, projection extension v2). */
export function epsgOf(fields: Readonly<Record<string, unknown>>): number | null {
  const epsg = fields['proj:epsg'];
  if (typeof epsg === 'number' && Number.isInteger(epsg) && epsg > 0) return epsg;
  const code = fields['proj:code'];
  const m = typeof code === 'string' ? /^EPSG:(\d+)$/i.exec(code.trim()) : null;
  return m ? Number(m[1]) : null;
}
