/** The page's base map (online tiles over the bundled vector map), created once, with its tile status as state. */
import { useState, useSyncExternalStore } from 'react';
import type BaseLayer from 'ol/layer/Base';
import { createBaseLayers } from '../map/base-layers';
import { provinceAt } from '../map/offline-basemap';
import type { TileStatus } from '../map/tile-status';

/** What the page uses of the base map. */
export interface BaseMap {
  layers: BaseLayer[];
  status: TileStatus;
  /** Name of the province containing the point, when inside Zimbabwe. */
  provinceAt(lon: number, lat: number): string | undefined;
}

export function useBaseMap(): BaseMap {
  // One base map for the page's lifetime: never disposed, because StrictMode's mount–unmount–mount in development
  // would dispose the layers the map still shows.
  const [base] = useState(createBaseLayers);
  const status = useSyncExternalStore(base.status.subscribe, base.status.get);
  return { layers: base.layers, status, provinceAt };
}
