/**
 * Spectral indices from Sentinel-2 surface reflectance (0–1, after the DN conversion of the mask stage).
 *
 * Band choices: NDRE and NDMI pair bands of the same native resolution (B8A 20 m with B5 20 m, B8A with B11),
 * so neither mixes a resampled band with a native one. Every index is dimensionless. A zero denominator gives 0
 * (only possible for all-zero reflectance, which the mask stage already treats as nodata).
 */

/** Reflectance bands the features read, in wavelength order (Sentinel-2 B2, B3, B4, B5, B6, B7, B8, B8A, B11, B12). */
export const SPECTRAL_BANDS = ['blue', 'green', 'red', 'rededge1', 'rededge2', 'rededge3', 'nir', 'nir08', 'swir16', 'swir22'] as const;
/** One reflectance band name (STAC common name). */
export type SpectralBand = (typeof SPECTRAL_BANDS)[number];

/** Indices the feature stack computes. */
export const INDEX_NAMES = ['ndvi', 'evi', 'savi', 'msavi2', 'ndre', 'ndmi', 'ndwi', 'bsi'] as const;
/** One index name. */
export type IndexName = (typeof INDEX_NAMES)[number];

/** SAVI soil-brightness factor L (0.5, the value for intermediate vegetation cover, as the owner's plan uses). */
export const SAVI_L = 0.5;

/** One pixel's reflectance per band (only the bands an index needs must be present). */
export type Reflectance = Readonly<Partial<Record<SpectralBand, number>>>;

/** How each index is computed: formula (for docs) and the bands it reads. */
export const INDEX_DEFS: Readonly<Record<IndexName, { formula: string; bands: readonly SpectralBand[] }>> = {
  ndvi: { formula: '(nir − red) / (nir + red)', bands: ['nir', 'red'] },
  evi: { formula: '2.5 (nir − red) / (nir + 6 red − 7.5 blue + 1), clamped to [−1, 1]', bands: ['nir', 'red', 'blue'] },
  savi: { formula: '1.5 (nir − red) / (nir + red + 0.5)', bands: ['nir', 'red'] },
  msavi2: { formula: '(2 nir + 1 − √((2 nir + 1)² − 8 (nir − red))) / 2', bands: ['nir', 'red'] },
  ndre: { formula: '(nir08 − rededge1) / (nir08 + rededge1)', bands: ['nir08', 'rededge1'] },
  ndmi: { formula: '(nir08 − swir16) / (nir08 + swir16)', bands: ['nir08', 'swir16'] },
  ndwi: { formula: '(green − nir) / (green + nir)  (McFeeters)', bands: ['green', 'nir'] },
  bsi: { formula: '((swir16 + red) − (nir + blue)) / ((swir16 + red) + (nir + blue))', bands: ['swir16', 'red', 'nir', 'blue'] },
};

const ratio = (a: number, b: number): number => {
  const d = a + b;
  return d === 0 ? 0 : (a - b) / d;
};

/** Normalised difference vegetation index. */
export const ndvi = (nir: number, red: number): number => ratio(nir, red);

/** Enhanced vegetation index (MODIS coefficients), clamped to [−1, 1] because bright or dark targets blow up the denominator. */
export function evi(nir: number, red: number, blue: number): number {
  const d = nir + 6 * red - 7.5 * blue + 1;
  if (d === 0) return 0;
  const v = (2.5 * (nir - red)) / d;
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

/** Soil-adjusted vegetation index with L = {@link SAVI_L}. */
export function savi(nir: number, red: number): number {
  const d = nir + red + SAVI_L;
  return d === 0 ? 0 : ((1 + SAVI_L) * (nir - red)) / d;
}

/** Modified SAVI (Qi et al. 1994, the self-adjusting MSAVI2 form). */
export function msavi2(nir: number, red: number): number {
  const a = 2 * nir + 1;
  const disc = a * a - 8 * (nir - red);
  return (a - Math.sqrt(disc > 0 ? disc : 0)) / 2;
}

/** Normalised difference red-edge index (B8A, B5). */
export const ndre = (nir08: number, rededge1: number): number => ratio(nir08, rededge1);
/** Normalised difference moisture index (B8A, B11). */
export const ndmi = (nir08: number, swir16: number): number => ratio(nir08, swir16);
/** Normalised difference water index, McFeeters (B3, B8). */
export const ndwi = (green: number, nir: number): number => ratio(green, nir);
/** Bare soil index. */
export const bsi = (swir16: number, red: number, nir: number, blue: number): number => ratio(swir16 + red, nir + blue);

/** The index `name` of one pixel. Missing bands read as NaN, so the result is NaN. */
export function indexValue(name: IndexName, r: Reflectance): number {
  const g = (b: SpectralBand) => r[b] ?? Number.NaN;
  switch (name) {
    case 'ndvi': return ndvi(g('nir'), g('red'));
    case 'evi': return evi(g('nir'), g('red'), g('blue'));
    case 'savi': return savi(g('nir'), g('red'));
    case 'msavi2': return msavi2(g('nir'), g('red'));
    case 'ndre': return ndre(g('nir08'), g('rededge1'));
    case 'ndmi': return ndmi(g('nir08'), g('swir16'));
    case 'ndwi': return ndwi(g('green'), g('nir'));
    case 'bsi': return bsi(g('swir16'), g('red'), g('nir'), g('blue'));
  }
}
