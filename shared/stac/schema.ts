/**
 * The one zod schema for the STAC Items GeoCrop reads.
 *
 * It checks only the fields GeoCrop relies on and lets everything else through (`looseObject`), so the three
 * shapes seen in practice all validate with it:
 * - items stored next to DEA's COGs (Element84 style: `raster:bands`, item-level `proj:epsg`, common-name keys);
 * - items served by DEA Explorer's STAC API (built from EO3 documents by eodatasets3 `to_pystac_item`: UUID id,
 *   per-asset `proj:epsg`/`proj:shape`/`proj:transform`, 9-number transforms for legacy `s2_l2a`, no
 *   `raster:bands`);
 * - the GeoCrop demo world's items (Explorer style).
 *
 * Cross-field rules that depend on which assets are bands (an EPSG code at item or asset level, per-asset
 * grids on band assets) are checked by `parseSceneItem`, which can name the band in its error.
 */
import { z } from 'zod';

/** A number that must be finite (JSON has no NaN, but hand-built objects can). */
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** `proj:transform`: 6 numbers, or 9 (a 3×3 matrix whose last row is 0 0 1, as ODC's legacy grids write). */
export const projTransformSchema = z
  .array(finite)
  .refine((t) => t.length === 6 || t.length === 9, 'proj:transform must have 6 or 9 numbers');

/** `proj:shape`: `[rows, cols]`, both positive integers. */
export const projShapeSchema = z.tuple([z.number().int().positive(), z.number().int().positive()]);

/** An EPSG code as STAC `proj:epsg` writes it (may be null when the CRS has no EPSG code). */
const epsgSchema = z.number().int().positive().nullable();

/** `raster:bands[i]`: only the fields that turn DN into a physical value. */
export const rasterBandSchema = z.looseObject({
  scale: finite.optional(),
  offset: finite.optional(),
  nodata: z.union([finite, z.enum(['nan', 'inf', '-inf'])]).nullable().optional(),
  data_type: z.string().optional(),
});

/** One asset: an href, and the grid fields a band asset needs (checked per band by the parser). */
export const stacAssetSchema = z.looseObject({
  href: z.string().min(1, 'href must not be empty'),
  type: z.string().optional(),
  title: z.string().optional(),
  roles: z.array(z.string()).optional(),
  'proj:epsg': epsgSchema.optional(),
  'proj:code': z.string().nullable().optional(),
  'proj:shape': projShapeSchema.optional(),
  'proj:transform': projTransformSchema.optional(),
  // Only a band asset's `raster:bands[0]` matters (checked with `rasterBandSchema` by the parser). Other assets
  // carry real-world oddities GeoCrop must not reject an item for: DEA's stored c1 `preview` asset nests an
  // array inside `raster:bands`.
  'raster:bands': z.array(z.unknown()).optional(),
});

const position = z.array(finite).min(2);
const linearRing = z.array(position).min(4, 'a linear ring needs at least 4 positions');

/** GeoJSON Polygon (lon/lat degrees). */
export const polygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(linearRing).min(1),
});

/** GeoJSON MultiPolygon (lon/lat degrees). */
export const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(linearRing).min(1)).min(1),
});

/** Scene footprints are areas: a Polygon or MultiPolygon. */
export const footprintSchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);

const isoDatetime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 date-time');

/** Item properties: a `datetime`, or (when it is null) a `start_datetime`/`end_datetime` pair. */
export const stacPropertiesSchema = z
  .looseObject({
    datetime: isoDatetime.nullable(),
    start_datetime: isoDatetime.optional(),
    end_datetime: isoDatetime.optional(),
    title: z.string().optional(),
    // Not range-checked: some producers write -1 for "unknown"; the parser maps that to null.
    'eo:cloud_cover': finite.nullable().optional(),
    'proj:epsg': epsgSchema.optional(),
    'proj:code': z.string().nullable().optional(),
    platform: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.datetime === null && (p.start_datetime === undefined || p.end_datetime === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['datetime'],
        message: 'datetime is null, so start_datetime and end_datetime are required',
      });
    }
  });

/**
 * The STAC Item schema: the fields GeoCrop reads, permissive for everything else.
 *
 * @example
 * const result = stacItemSchema.safeParse(json);
 * if (result.success) console.log(result.data.properties.datetime);
 */
export const stacItemSchema = z.looseObject({
  type: z.literal('Feature'),
  stac_version: z.string().optional(),
  id: z.string().min(1, 'id must not be empty'),
  collection: z.string().min(1, 'collection must not be empty'),
  geometry: footprintSchema,
  bbox: z
    .array(finite)
    .refine((b) => b.length === 4 || b.length === 6, 'bbox must have 4 or 6 numbers')
    .optional(),
  properties: stacPropertiesSchema,
  assets: z.record(z.string(), stacAssetSchema),
  links: z.array(z.looseObject({ rel: z.string(), href: z.string() })).optional(),
});

/** A STAC Item as validated by {@link stacItemSchema} (extra fields kept, typed as unknown). */
export type StacItem = z.infer<typeof stacItemSchema>;

/** One asset of a {@link StacItem}. */
export type StacAsset = z.infer<typeof stacAssetSchema>;
