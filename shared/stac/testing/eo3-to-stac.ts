/**
 * TEST SUPPORT ONLY. Converts an ODC EO3 dataset document into the STAC Item that DEA Explorer's STAC API
 * serves for it, so parser tests run on what Explorer really returns (no verbatim Explorer response exists
 * in any public repository; the EO3 documents DEA indexes do).
 *
 * It follows, step by step:
 * - opendatacube/eo-datasets `eodatasets3/stac.py` `to_pystac_item` / `eo3_to_stac_properties`
 *   (property renames in `MAPPING_EO3_TO_STAC`, `_as_stac_instruments`, `_media_type`, `_proj_fields`,
 *   `_asset_roles_fields`, `_odc_links`);
 * - opendatacube/datacube-explorer `cubedash/_stac.py` `as_stac_item` (locations from the index, links,
 *   `cubedash:region_code`, the `canonical` link).
 * Geometry goes to EPSG:4326 vertex by vertex, as odc-geo's `to_crs(..., math.inf)` does (no densifying).
 */
import { project } from '../../geo/crs';

/** The parts of an EO3 dataset document the conversion reads. */
export interface Eo3Document {
  id: string;
  label?: string;
  product: { name: string };
  crs: string;
  geometry?: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  grids?: Record<string, { shape: [number, number]; transform: number[] }>;
  properties: Record<string, unknown>;
  measurements: Record<string, { path: string; grid?: string }>;
  accessories?: Record<string, { path: string }>;
  location?: string;
  lineage?: Record<string, unknown>;
}

/** Options for {@link eo3ToExplorerItem}. */
export interface Eo3ToStacOptions {
  /** The dataset's indexed location (Explorer uses `ds.uris[0]`); defaults to the document's `location`. */
  location?: string;
  /** Explorer's public base URL, used for the item's links. */
  explorerBaseUrl?: string;
}

/** `eodatasets3.stac.MAPPING_EO3_TO_STAC`. */
const MAPPING_EO3_TO_STAC: Readonly<Record<string, string>> = {
  'dtr:end_datetime': 'end_datetime',
  'dtr:start_datetime': 'start_datetime',
  'eo:gsd': 'gsd',
  'eo:instrument': 'instruments',
  'eo:platform': 'platform',
  'eo:constellation': 'constellation',
  'eo:off_nadir': 'view:off_nadir',
  'eo:azimuth': 'view:azimuth',
  'eo:sun_azimuth': 'view:sun_azimuth',
  'eo:sun_elevation': 'view:sun_elevation',
  'odc:processing_datetime': 'created',
};

/** Properties eodatasets3's `Eo3Dict` parses as datetimes (and `datetime_to_str` writes back in UTC). */
const DATETIME_KEYS = new Set(['datetime', 'dtr:start_datetime', 'dtr:end_datetime', 'odc:processing_datetime']);

const COG = 'image/tiff; application=geotiff; profile=cloud-optimized';

/** pystac `datetime_to_str`: UTC, `Z`, microseconds only when non-zero (Python `isoformat`). */
function datetimeToStr(value: string): string {
  const m = /^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) throw new Error(`not an EO3 datetime: ${value}`);
  const whole = new Date(`${m[1]}${m[3] ?? 'Z'}`);
  const micros = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  const base = whole.toISOString().slice(0, 19);
  return /^0+$/.test(micros) ? `${base}Z` : `${base}.${micros}Z`;
}

/** `eodatasets3.stac._as_stac_instruments`. */
function asStacInstruments(value: string): string[] {
  return value.split('_').map((i) => i.replace(/^[+-]+|[+-]+$/g, '').toLowerCase());
}

/** `eodatasets3.stac._media_type` (Python `mimetypes` for the suffixes EO3 documents use). */
function mediaType(path: string): string {
  const suffix = /\.[^./]+$/.exec(path)?.[0].toLowerCase() ?? '';
  const byType: Record<string, string> = {
    '.tif': COG, '.tiff': COG, '.sha1': 'text/plain', '.yaml': 'text/yaml', '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg', '.png': 'image/png', '.xml': 'application/xml', '.json': 'application/json',
  };
  return byType[suffix] ?? 'application/octet-stream';
}

/** `datacube.utils.uris.uri_resolve`: absolute paths stay, relative ones resolve against the location. */
function uriResolve(location: string | undefined, path: string): string {
  if (!location || /^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  return new URL(path, location).toString();
}

function toLonLat(epsg: number, coords: unknown): unknown {
  if (Array.isArray(coords) && typeof coords[0] === 'number') {
    return project(epsg, 4326, [coords[0] as number, coords[1] as number]);
  }
  return (coords as unknown[]).map((c) => toLonLat(epsg, c));
}

function bounds(coords: unknown, acc = [Infinity, Infinity, -Infinity, -Infinity]): number[] {
  if (Array.isArray(coords) && typeof coords[0] === 'number') {
    const [x, y] = coords as number[];
    acc[0] = Math.min(acc[0], x);
    acc[1] = Math.min(acc[1], y);
    acc[2] = Math.max(acc[2], x);
    acc[3] = Math.max(acc[3], y);
    return acc;
  }
  for (const c of coords as unknown[]) bounds(c, acc);
  return acc;
}

/** Normalisations `Eo3Dict` applies on load, then `_convert_value_to_stac_type`. */
function stacValue(key: string, value: unknown): unknown {
  if (key === 'eo:instrument' && typeof value === 'string') return asStacInstruments(value);
  if (key === 'eo:platform' && typeof value === 'string') return value.toLowerCase();
  if (DATETIME_KEYS.has(key) && typeof value === 'string') return datetimeToStr(value);
  return value;
}

/**
 * The STAC Item DEA Explorer serves for an EO3 document (see module doc for the sources followed).
 *
 * @example
 * const item = eo3ToExplorerItem(YAML.parse(text), { location: 's3://bucket/path/doc.json' });
 */
export function eo3ToExplorerItem(doc: Eo3Document, opts: Eo3ToStacOptions = {}): Record<string, unknown> {
  const explorer = opts.explorerBaseUrl ?? 'https://explorer.digitalearth.africa/';
  const location = opts.location ?? doc.location;
  const crs = doc.crs.toLowerCase();
  const epsg = crs.startsWith('epsg:') ? Number(crs.slice(5)) : null;
  if (epsg === null) throw new Error(`only EPSG CRSs are supported here, got ${doc.crs}`);

  let geometry: Record<string, unknown> | null = null;
  let bbox: number[] | null = null;
  if (doc.geometry) {
    geometry = { type: doc.geometry.type, coordinates: toLonLat(epsg, doc.geometry.coordinates) };
    bbox = bounds(geometry.coordinates);
  }

  // eo3_to_stac_properties: title first, then every EO3 property renamed; a later key overwrites an earlier
  // one (e.g. `odc:processing_datetime` → `created` replaces an explicit `created`), as the dict comprehension does.
  const properties: Record<string, unknown> = {};
  if (doc.label) properties.title = doc.label;
  for (const [key, value] of Object.entries(doc.properties)) {
    properties[MAPPING_EO3_TO_STAC[key] ?? key] = stacValue(key, value);
  }
  const defaultGrid = doc.grids?.default;
  if (geometry) {
    properties['proj:epsg'] = epsg;
    if (defaultGrid) {
      properties['proj:shape'] = defaultGrid.shape;
      properties['proj:transform'] = defaultGrid.transform;
    }
  }
  const regionCode = doc.properties['odc:region_code'];
  if (regionCode !== undefined) properties['cubedash:region_code'] = regionCode;

  const stacExtensions = ['https://stac-extensions.github.io/eo/v1.0.0/schema.json'];
  if (geometry) stacExtensions.push('https://stac-extensions.github.io/projection/v1.0.0/schema.json');
  if (Object.keys(properties).some((k) => k.startsWith('view:'))) {
    stacExtensions.push('https://stac-extensions.github.io/view/v1.0.0/schema.json');
  }

  const assets: Record<string, Record<string, unknown>> = {};
  for (const [name, m] of Object.entries(doc.measurements)) {
    if (!location && !m.path) continue;
    const asset: Record<string, unknown> = {
      href: uriResolve(location, m.path),
      type: mediaType(m.path),
      title: name,
      roles: ['data'],
      'eo:bands': [{ name }],
    };
    const grid = doc.grids?.[m.grid ?? 'default'];
    if (grid) {
      asset['proj:epsg'] = epsg;
      asset['proj:shape'] = grid.shape;
      asset['proj:transform'] = grid.transform;
    }
    assets[name] = asset;
  }
  for (const [name, a] of Object.entries(doc.accessories ?? {})) {
    const thumbnail = name.startsWith('thumbnail');
    assets[name] = {
      href: uriResolve(location, a.path),
      type: mediaType(a.path),
      ...(thumbnail ? { title: 'Thumbnail image' } : {}),
      roles: [thumbnail ? 'thumbnail' : 'metadata'],
    };
  }

  const stac = new URL('stac/', explorer).toString();
  const links: Record<string, unknown>[] = [
    { rel: 'self', type: 'application/json', href: `${stac}collections/${doc.product.name}/items/${doc.id}` },
    { rel: 'odc_yaml', type: 'text/yaml', title: 'ODC Dataset YAML', href: `${explorer}dataset/${doc.id}.odc-metadata.yaml` },
    { rel: 'collection', href: `${stac}collections/${doc.product.name}` },
    { rel: 'product_overview', type: 'text/html', title: 'ODC Product Overview', href: `${explorer}product/${doc.product.name}` },
    { rel: 'alternative', type: 'text/html', title: 'ODC Dataset Overview', href: `${explorer}dataset/${doc.id}` },
  ];
  if (location) {
    links.push({ rel: 'canonical', type: location.endsWith('json') ? 'application/json' : 'text/yaml', href: location });
  }

  const { datetime, ...rest } = properties;
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: stacExtensions,
    id: String(doc.id),
    geometry,
    bbox,
    properties: { ...rest, datetime: datetime ?? null },
    links,
    assets,
    collection: doc.product.name,
  };
}
