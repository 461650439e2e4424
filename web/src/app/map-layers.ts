/**
 * The map's own layers, built with OpenLayers: the area circle with its centre and radius handles, the demo world's
 * extent, and a run's raster drawn on its UTM grid (OpenLayers reprojects it to the web map; proj4 knows every
 * WGS 84 UTM zone).
 */
import Feature from 'ol/Feature';
import { Point, Polygon } from 'ol/geom';
import VectorLayer from 'ol/layer/Vector';
import ImageLayer from 'ol/layer/Image';
import { fromLonLat, toLonLat } from 'ol/proj';
import { register } from 'ol/proj/proj4';
import ImageStatic from 'ol/source/ImageStatic';
import VectorSource from 'ol/source/Vector';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style';
import proj4 from 'proj4';
import { aoiPolygon, type Aoi } from '../../../shared/contract/aoi';
import { capBBox } from '../../../shared/contract/geodesy';
import { pixelToCrs } from '../../../shared/geo/crs';
import type { RasterGrid } from '../../../shared/raster/types';
import type { LonLatBox } from './aoi-form';
import type { Rgba } from './display-result';

register(proj4);

/** The AOI drawing: circle, draggable centre and radius handle. */
export interface AoiFeatures {
  layer: VectorLayer<VectorSource>;
  circle: Feature<Polygon>;
  centre: Feature<Point>;
  handle: Feature<Point>;
  /** Redraws for an area; `invalid` draws it in the warning colour. */
  update(aoi: Aoi, invalid: boolean): void;
}

const ok = new Stroke({ color: '#1f5fbf', width: 3 });
const bad = new Stroke({ color: '#c0392b', width: 3, lineDash: [8, 6] });

/** Where the radius handle sits: due east of the centre, on the circle. */
export function handlePosition(aoi: Aoi): [number, number] {
  const [, , east] = capBBox(aoi.lon, aoi.lat, aoi.radius_m);
  return [east, aoi.lat];
}

/** The AOI layer (EPSG:3857 view). */
export function createAoiFeatures(): AoiFeatures {
  const circle = new Feature<Polygon>();
  const centre = new Feature<Point>();
  const handle = new Feature<Point>();
  centre.set('role', 'centre');
  handle.set('role', 'handle');
  const source = new VectorSource({ features: [circle, centre, handle] });
  const layer = new VectorLayer({ source, zIndex: 20 });
  const dot = (fill: string) => new Style({ image: new CircleStyle({ radius: 11, fill: new Fill({ color: fill }), stroke: new Stroke({ color: '#fff', width: 3 }) }) });
  centre.setStyle(dot('#1f5fbf'));
  handle.setStyle(dot('#ffffff'));
  return {
    layer, circle, centre, handle,
    update(aoi, invalid) {
      circle.setGeometry(new Polygon([aoiPolygon(aoi).coordinates[0].map((p) => fromLonLat(p))]));
      circle.setStyle(new Style({ stroke: invalid ? bad : ok, fill: new Fill({ color: invalid ? 'rgba(192,57,43,0.08)' : 'rgba(31,95,191,0.06)' }) }));
      centre.setGeometry(new Point(fromLonLat([aoi.lon, aoi.lat])));
      handle.setGeometry(new Point(fromLonLat(handlePosition(aoi))));
      handle.setStyle(new Style({ image: new CircleStyle({ radius: 11, fill: new Fill({ color: '#ffffff' }), stroke: new Stroke({ color: invalid ? '#c0392b' : '#1f5fbf', width: 3 }) }) }));
    },
  };
}

/** The dashed box of the demo world's data. */
export function createRegionLayer(region: LonLatBox): VectorLayer<VectorSource> {
  const [w, s, e, n] = region;
  const ring = [[w, s], [e, s], [e, n], [w, n], [w, s]].map((p) => fromLonLat(p));
  const f = new Feature(new Polygon([ring]));
  f.setStyle(new Style({ stroke: new Stroke({ color: '#6b4f1d', width: 2, lineDash: [10, 8] }) }));
  return new VectorLayer({ source: new VectorSource({ features: [f] }), zIndex: 10 });
}

/** `[minX, minY, maxX, maxY]` of a grid in its own CRS. */
export function gridExtent(grid: RasterGrid): [number, number, number, number] {
  const [x0, y0] = pixelToCrs(grid.transform, 0, 0);
  const [x1, y1] = pixelToCrs(grid.transform, grid.width, grid.height);
  return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
}

/**
 * An image layer showing `rgba` on `grid` (nearest-neighbour, so class edges stay crisp). The PNG is encoded by
 * `canvas.toBlob`, off the main thread's critical path.
 */
export async function rasterLayer(rgba: Rgba, grid: RasterGrid, opacity: number): Promise<{ layer: ImageLayer<ImageStatic>; dispose(): void }> {
  const canvas = document.createElement('canvas');
  canvas.width = rgba.width;
  canvas.height = rgba.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba.data), rgba.width, rgba.height), 0, 0);
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('Could not encode the layer image'))), 'image/png'));
  const url = URL.createObjectURL(blob);
  const source = new ImageStatic({ url, imageExtent: gridExtent(grid), projection: `EPSG:${grid.epsg}`, interpolate: false });
  // Its own class name gives it its own canvas (the PNG export and the browser test read it).
  const layer = new ImageLayer({ source, opacity, zIndex: 15, className: 'geocrop-result' });
  return { layer, dispose: () => URL.revokeObjectURL(url) };
}

/** Map coordinate (EPSG:3857) → `[lon, lat]`. */
export const toLonLatPoint = (c: number[]): [number, number] => {
  const [lon, lat] = toLonLat(c);
  return [lon, lat];
};
