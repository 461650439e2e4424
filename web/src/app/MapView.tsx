/**
 * The map: base layers, the area circle (tap to move it, drag its centre or its radius handle), the demo world's
 * extent, and the current run's layer; tapping in inspect mode reports the pixel under the finger.
 */
import { useEffect, useRef } from 'react';
import OlMap from 'ol/Map';
import View from 'ol/View';
import type BaseLayer from 'ol/layer/Base';
import type { MapBrowserEvent } from 'ol';
import { Translate, defaults as defaultInteractions } from 'ol/interaction';
import { Collection } from 'ol';
import type Feature from 'ol/Feature';
import type { Point } from 'ol/geom';
import { fromLonLat, transform, transformExtent } from 'ol/proj';
import 'ol/ol.css';
import type { Aoi } from '../../../shared/contract/aoi';
import { haversineM } from '../../../shared/contract/geodesy';
import type { LonLatBox } from './aoi-form';
import { inspectPixel, renderLayer, type DisplayResult, type LayerKind, type PixelReport } from './display-result';
import { createAoiFeatures, createRegionLayer, gridExtent, rasterLayer, toLonLatPoint, type AoiFeatures } from './map-layers';

/** What the map shows and reports. */
export interface MapViewProps {
  base: BaseLayer[];
  aoi: Aoi;
  aoiInvalid: boolean;
  onAoiChange(aoi: Aoi): void;
  region?: LonLatBox;
  display?: DisplayResult;
  layer: LayerKind;
  month: number;
  opacity: number;
  smoothed: boolean;
  tapMode: 'move' | 'inspect';
  onInspect(report: PixelReport | undefined, lonLat: [number, number]): void;
  /** The OpenLayers map, once created (for the PNG export). */
  onMap?(map: OlMap): void;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

export function MapView(props: MapViewProps) {
  const target = useRef<HTMLDivElement>(null);
  const mapRef = useRef<OlMap | undefined>(undefined);
  const aoiRef = useRef<AoiFeatures | undefined>(undefined);
  // Handlers read the latest props without rebuilding the map.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const aoiFeatures = createAoiFeatures();
    aoiRef.current = aoiFeatures;
    const { aoi } = latest.current;
    const map = new OlMap({
      target: target.current ?? undefined,
      layers: [...latest.current.base, aoiFeatures.layer],
      view: new View({ center: fromLonLat([aoi.lon, aoi.lat]), zoom: 12, maxZoom: 19, minZoom: 5 }),
      interactions: defaultInteractions(),
    });
    const drag = new Translate({ features: new Collection<Feature>([aoiFeatures.centre, aoiFeatures.handle]), hitTolerance: 12 });
    drag.on('translating', (e) => {
      const p = latest.current;
      const f = e.features.item(0) as Feature<Point>;
      const [lon, lat] = toLonLatPoint(f.getGeometry()!.getCoordinates());
      if (f.get('role') === 'handle') {
        p.onAoiChange({ ...p.aoi, radius_m: Math.max(100, Math.round(haversineM(p.aoi.lon, p.aoi.lat, lon, lat) / 10) * 10) });
      } else {
        p.onAoiChange({ ...p.aoi, lon: round(lon, 5), lat: round(lat, 5) });
      }
    });
    map.addInteraction(drag);
    map.on('singleclick', (e: MapBrowserEvent) => {
      const p = latest.current;
      const hit = map.forEachFeatureAtPixel(e.pixel, (f) => f.get('role'), { hitTolerance: 8, layerFilter: (l) => l === aoiFeatures.layer });
      if (hit) return;
      const [lon, lat] = toLonLatPoint(e.coordinate);
      if (p.tapMode === 'inspect' && p.display) {
        const [x, y] = transform(e.coordinate, 'EPSG:3857', `EPSG:${p.display.grid.epsg}`);
        p.onInspect(inspectPixel(p.display, x, y), [lon, lat]);
      } else {
        p.onAoiChange({ ...p.aoi, lon: round(lon, 5), lat: round(lat, 5) });
      }
    });
    mapRef.current = map;
    latest.current.onMap?.(map);
    return () => {
      // Release the shared base layers too: StrictMode (development) mounts a second map that adds them again.
      map.getLayers().clear();
      map.setTarget(undefined);
      mapRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    aoiRef.current?.update(props.aoi, props.aoiInvalid);
  }, [props.aoi, props.aoiInvalid]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.region) return;
    const layer = createRegionLayer(props.region);
    map.addLayer(layer);
    return () => {
      map.removeLayer(layer);
    };
  }, [props.region]);

  const { display, layer: kind, month, smoothed, opacity } = props;

  // A new result (preview, full, or reopened from History): bring its area into view.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !display) return;
    const extent = transformExtent(gridExtent(display.grid), `EPSG:${display.grid.epsg}`, 'EPSG:3857');
    map.getView().fit(extent, { padding: [40, 40, 40, 40], duration: 300, maxZoom: 16 });
  }, [display]);
  const rasterRef = useRef<{ setOpacity(o: number): void } | undefined>(undefined);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !display) return;
    let cancelled = false;
    let added: Awaited<ReturnType<typeof rasterLayer>> | undefined;
    void rasterLayer(renderLayer(display, kind, { month, smoothed }), display.grid, latest.current.opacity).then((r) => {
      if (cancelled) return r.dispose();
      added = r;
      r.layer.set('geocrop', 'result');
      map.addLayer(r.layer);
      rasterRef.current = r.layer;
    });
    return () => {
      cancelled = true;
      if (added) {
        map.removeLayer(added.layer);
        added.dispose();
      }
      rasterRef.current = undefined;
    };
  }, [display, kind, month, smoothed]);

  useEffect(() => {
    rasterRef.current?.setOpacity(opacity);
  }, [opacity]);

  return <div ref={target} className="map" role="application" aria-label="Map: tap to place the area, drag its handle to resize" data-testid="map" />;
}
