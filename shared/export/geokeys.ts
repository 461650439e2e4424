/**
 * GeoTIFF georeferencing tags (ModelPixelScale, ModelTiepoint, GeoKeyDirectory, GeoAsciiParams) for the CRSs
 * GeoCrop writes. Kept free of proj4: the writer only needs EPSG codes and names, and GDAL resolves the full
 * definition from the EPSG code.
 */
import { GeoCropError } from '../contract/errors';
import { FieldType, Tag, type TiffTag } from './tiff-tags';

/** True for the EPSG codes the writer accepts: 4326, 6933 and every WGS 84 UTM zone (326zz north, 327zz south). */
export function isSupportedEpsg(epsg: number): boolean {
  return epsg === 4326 || epsg === 6933 || (epsg >= 32601 && epsg <= 32660) || (epsg >= 32701 && epsg <= 32760);
}

/** EPSG's name for a supported CRS, e.g. `WGS 84 / UTM zone 36S` (written as the GeoTIFF citation). */
export function crsName(epsg: number): string {
  if (epsg === 4326) return 'WGS 84';
  if (epsg === 6933) return 'WGS 84 / NSIDC EASE-Grid 2.0 Global';
  if (epsg >= 32601 && epsg <= 32660) return `WGS 84 / UTM zone ${epsg - 32600}N`;
  if (epsg >= 32701 && epsg <= 32760) return `WGS 84 / UTM zone ${epsg - 32700}S`;
  throw unsupported(epsg);
}

function unsupported(epsg: number): GeoCropError {
  return new GeoCropError(
    'INVALID_RASTER',
    `EPSG:${epsg} is not supported by the COG writer; use 4326, 6933 or a WGS 84 UTM zone (32601–32660 north, 32701–32760 south)`,
    { epsg },
  );
}

// GeoKey ids and values (GeoTIFF 1.1 §7).
const GTModelTypeGeoKey = 1024;
const GTRasterTypeGeoKey = 1025;
const GTCitationGeoKey = 1026;
const GeographicTypeGeoKey = 2048;
const GeogCitationGeoKey = 2049;
const GeogAngularUnitsGeoKey = 2054;
const ProjectedCSTypeGeoKey = 3072;
const ProjLinearUnitsGeoKey = 3076;
const ModelTypeProjected = 1;
const ModelTypeGeographic = 2;
const RasterPixelIsArea = 1;
const LinearMetre = 9001;
const AngularDegree = 9102;

/**
 * The four georeferencing tags for a north-up raster.
 * @param epsg a code accepted by {@link isSupportedEpsg}
 * @param transform `[a, b, c, d, e, f]` (STAC order); `a` pixel width and `-e` pixel height in CRS units
 *   (metres, degrees for 4326); `(c, f)` the top-left corner of the top-left pixel.
 */
export function geoTiffTags(epsg: number, transform: readonly number[]): TiffTag[] {
  if (!isSupportedEpsg(epsg)) throw unsupported(epsg);
  const [a, , c, , e, f] = transform;
  // Citations go into GeoAsciiParams, each terminated by '|' (the count includes the '|').
  let ascii = '';
  const citation = (text: string): [number, number] => {
    const at = ascii.length;
    ascii += `${text}|`;
    return [text.length + 1, at];
  };
  // Keys must be sorted by id (GeoTIFF requirement; GDAL warns otherwise).
  const keys: Array<[number, number, number, number]> = [];
  if (epsg === 4326) {
    keys.push([GTModelTypeGeoKey, 0, 1, ModelTypeGeographic]);
    keys.push([GTRasterTypeGeoKey, 0, 1, RasterPixelIsArea]);
    keys.push([GeographicTypeGeoKey, 0, 1, 4326]);
    const [n, at] = citation('WGS 84');
    keys.push([GeogCitationGeoKey, Tag.GeoAsciiParams, n, at]);
    keys.push([GeogAngularUnitsGeoKey, 0, 1, AngularDegree]);
  } else {
    keys.push([GTModelTypeGeoKey, 0, 1, ModelTypeProjected]);
    keys.push([GTRasterTypeGeoKey, 0, 1, RasterPixelIsArea]);
    const [n, at] = citation(crsName(epsg));
    keys.push([GTCitationGeoKey, Tag.GeoAsciiParams, n, at]);
    keys.push([ProjectedCSTypeGeoKey, 0, 1, epsg]);
    keys.push([ProjLinearUnitsGeoKey, 0, 1, LinearMetre]);
  }
  // Header: KeyDirectoryVersion 1, KeyRevision 1.0, number of keys.
  const directory = [1, 1, 0, keys.length];
  for (const k of keys) directory.push(...k);
  return [
    { tag: Tag.ModelPixelScale, type: FieldType.DOUBLE, values: [a, -e, 0] },
    { tag: Tag.ModelTiepoint, type: FieldType.DOUBLE, values: [0, 0, 0, c, f, 0] },
    { tag: Tag.GeoKeyDirectory, type: FieldType.SHORT, values: directory },
    { tag: Tag.GeoAsciiParams, type: FieldType.ASCII, values: ascii },
  ];
}
