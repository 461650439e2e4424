/**
 * Sentinel-2 band names GeoCrop reads, and the asset keys that carry them in DEA's two collections.
 *
 * `s2_l2a_c1` (and Element84's earth-search) key assets by the STAC common name (`red`, `nir08`, `scl`...);
 * the legacy `s2_l2a` keys them by ESA band id (`B04`, `B8A`, `SCL`...). The alias lists below are copied
 * from the DEA product definitions (digitalearthafrica/config `products/s2_l2a_c1.odc-product.yaml` and
 * `products/esa_s2_l2a.odc-product.yaml`, `measurements[].aliases`), so any key ODC itself accepts for a band
 * resolves to the same band here.
 */

/** The bands a scene can contribute, named by their STAC common name (`scl` for the scene classification). */
export type BandName =
  | 'coastal'
  | 'blue'
  | 'green'
  | 'red'
  | 'rededge1'
  | 'rededge2'
  | 'rededge3'
  | 'nir'
  | 'nir08'
  | 'nir09'
  | 'swir16'
  | 'swir22'
  | 'scl';

/** Every {@link BandName}, in wavelength order (SCL last). */
export const BAND_NAMES: readonly BandName[] = Object.freeze([
  'coastal', 'blue', 'green', 'red', 'rededge1', 'rededge2', 'rededge3',
  'nir', 'nir08', 'nir09', 'swir16', 'swir22', 'scl',
]);

/**
 * Asset keys per band, best first: the canonical name, then the ESA band id, then the other product-definition
 * aliases. When an item carries two assets for one band, the earlier key in this list wins.
 */
const KEYS_BY_BAND: Readonly<Record<BandName, readonly string[]>> = {
  coastal: ['coastal', 'B01', 'band_01', 'coastal_aerosol'],
  blue: ['blue', 'B02', 'band_02'],
  green: ['green', 'B03', 'band_03'],
  red: ['red', 'B04', 'band_04'],
  rededge1: ['rededge1', 'B05', 'band_05', 'red_edge_1'],
  rededge2: ['rededge2', 'B06', 'band_06', 'red_edge_2'],
  rededge3: ['rededge3', 'B07', 'band_07', 'red_edge_3'],
  nir: ['nir', 'B08', 'band_08', 'nir_1'],
  nir08: ['nir08', 'B8A', 'band_8a', 'nir_narrow', 'nir_2'],
  nir09: ['nir09', 'B09', 'band_09', 'water_vapour'],
  swir16: ['swir16', 'B11', 'band_11', 'swir_1', 'swir_16'],
  swir22: ['swir22', 'B12', 'band_12', 'swir_2', 'swir_22'],
  scl: ['scl', 'SCL', 'mask', 'qa'],
};

interface KeyMatch {
  band: BandName;
  /** 0 for the canonical name; larger is a weaker alias. */
  rank: number;
}

// Lower-cased lookup, built once: asset keys are matched case-insensitively (DEA mixes `SCL` and `scl`).
const BY_KEY: ReadonlyMap<string, KeyMatch> = (() => {
  const map = new Map<string, KeyMatch>();
  for (const band of BAND_NAMES) {
    KEYS_BY_BAND[band].forEach((key, rank) => {
      const k = key.toLowerCase();
      if (!map.has(k)) map.set(k, { band, rank });
    });
  }
  return map;
})();

/**
 * The band an asset key stands for, or `null` for keys that are not one of GeoCrop's bands
 * (`visual`, `aot`, `wvp`, `thumbnail`, `red-jp2`...). Case-insensitive.
 *
 * @example
 * bandForAssetKey('B8A'); // { band: 'nir08', rank: 1 }
 * bandForAssetKey('visual'); // null
 */
export function bandForAssetKey(key: string): KeyMatch | null {
  return BY_KEY.get(key.toLowerCase()) ?? null;
}

/** True when `key` is the STAC common name of a band (the c1 / earth-search naming), not an ESA band id. */
export function isCommonNameKey(key: string): boolean {
  const match = bandForAssetKey(key);
  return match !== null && match.rank === 0;
}
