/**
 * The bundled vector base map (Zimbabwe, its provinces, its neighbours) as an OpenLayers layer for an
 * EPSG:3857 view, and a point-in-province lookup. It needs no network, so the map is never blank.
 */
import type Feature from 'ol/Feature';
import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style, Text } from 'ol/style';
import { BASEMAP, type BasemapKind } from './basemap-data';

/** The palette (CSS hex colours), exported so that tests and legends use the same values. */
export const BASEMAP_COLOURS = {
  /** Behind everything: sea, and beyond the data's box. */
  background: '#dfe6ea',
  /** Zimbabwe's land. */
  land: '#efe8d4',
  /** Neighbouring countries' land: lighter, so that Zimbabwe stands out. */
  neighbourLand: '#f8f6f0',
  countryOutline: '#5c5142',
  provinceBoundary: '#a89f8b',
  border: '#b9b2a6',
  provinceLabel: '#4a4337',
  neighbourLabel: '#8f8877',
  halo: '#fcfbf7',
} as const;

/** Attribution shown for the vector layer. */
export const BASEMAP_ATTRIBUTION = 'Boundaries: Natural Earth (public domain)';

const C = BASEMAP_COLOURS;
const label = (font: string, color: string) =>
  new Text({ font, fill: new Fill({ color }), stroke: new Stroke({ color: C.halo, width: 3 }) });

// One Style per kind; labelled kinds get their text set per feature just before rendering (OpenLayers reads the
// style at once, so reusing the instance is safe and avoids a Style per feature per frame).
const provinceStyle = new Style({
  stroke: new Stroke({ color: C.provinceBoundary, width: 1, lineDash: [4, 3] }),
  text: label('600 12px system-ui, sans-serif', C.provinceLabel),
  zIndex: 1,
});
const neighbourStyle = new Style({ fill: new Fill({ color: C.neighbourLand }), text: label('italic 12px system-ui, sans-serif', C.neighbourLabel) });
const borderStyle = new Style({ stroke: new Stroke({ color: C.border, width: 1 }) });
// Zimbabwe's outline is drawn above the province boundaries that run along it, its land below them.
const countryStyles = [
  new Style({ fill: new Fill({ color: C.land }) }),
  new Style({ stroke: new Stroke({ color: C.countryOutline, width: 2.5 }), zIndex: 2 }),
];

/** Long names on two lines ("Mashonaland⏎Central"): narrower labels survive decluttering at country scale. */
const wrap = (name: string): string => (name.length > 10 ? name.replace(' ', '\n') : name);

/** The style function of {@link createOfflineBasemapLayer}, keyed on the features' `kind`. */
export function basemapStyle(feature: FeatureLike): Style | Style[] {
  const kind = feature.get('kind') as BasemapKind;
  switch (kind) {
    case 'country':
      return countryStyles;
    case 'province':
      provinceStyle.getText()?.setText(wrap(feature.get('name') as string));
      return provinceStyle;
    case 'neighbour':
      neighbourStyle.getText()?.setText(wrap(feature.get('name') as string));
      return neighbourStyle;
    case 'border':
      return borderStyle;
  }
}

/**
 * A vector layer with the bundled base map, for a map whose view is EPSG:3857. Labels are decluttered, and the
 * layer paints its own background, so nothing underneath is needed.
 *
 * @example
 * const map = new Map({ layers: [createOfflineBasemapLayer()], view: new View({ center: fromLonLat([29.8, -19]), zoom: 6 }) });
 */
export function createOfflineBasemapLayer(): VectorLayer<VectorSource<Feature>> {
  const features = new GeoJSON({ featureProjection: 'EPSG:3857' }).readFeatures(BASEMAP);
  return new VectorLayer({
    source: new VectorSource({ features, attributions: BASEMAP_ATTRIBUTION }),
    style: basemapStyle,
    declutter: true,
    background: C.background,
    properties: { title: 'Offline base map' },
  });
}

let provinces: Feature[] | undefined;

/**
 * The name of the Zimbabwean province containing a point, or undefined outside Zimbabwe. Natural Earth's
 * boundaries are generalised (about 1 km), so points near a boundary may be attributed to its neighbour.
 *
 * @param lon longitude in degrees (WGS 84)
 * @param lat latitude in degrees (WGS 84)
 * @example
 * provinceAt(31.05, -17.83); // 'Harare'
 */
export function provinceAt(lon: number, lat: number): string | undefined {
  // Tested in degrees, where the data's edges are straight, rather than in the layer's Web Mercator.
  provinces ??= new GeoJSON().readFeatures(BASEMAP).filter((f) => f.get('kind') === 'province');
  return provinces.find((f) => f.getGeometry()?.intersectsCoordinate([lon, lat]))?.get('name') as string | undefined;
}
