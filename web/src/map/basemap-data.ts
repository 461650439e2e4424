/**
 * The offline base map's data: Zimbabwe, its provinces and its neighbours from Natural Earth (public domain),
 * extracted at build time by `scripts/extract-basemap.ts` (`npm run gen`) into the gitignored
 * `./generated/basemap.json`. These types are the contract between that script and the map code.
 */
import type { FeatureCollection, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import basemap from './generated/basemap.json';

/**
 * What a feature is: `country` is Zimbabwe's outline, `province` one of its 10 provinces, `neighbour` another
 * country's land clipped to the map's box, `border` every other international border and coast in the box.
 */
export type BasemapKind = 'country' | 'province' | 'neighbour' | 'border';

/** Properties of a base map feature. */
export interface BasemapProperties {
  kind: BasemapKind;
  /** English name, e.g. `Mashonaland West` or `Zambia`; absent on `border`. */
  name?: string;
  /** ISO 3166-2 for provinces (`ZW-MW`), ISO 3166-1 numeric for countries (`716`); absent on `border`. */
  code?: string;
}

/** The generated file: WGS 84 degrees (`[lon, lat]`), RFC 7946 ring order, `bbox` = the clip box. */
export type BasemapCollection = FeatureCollection<Polygon | MultiPolygon | MultiLineString, BasemapProperties> & {
  bbox: [number, number, number, number];
  /** Where the data comes from, with package versions. */
  source: string;
  licence: string;
};

/** The bundled base map (about 160 KB of JSON, in the JavaScript bundle so that it works offline). */
export const BASEMAP = basemap as unknown as Readonly<BasemapCollection>;
