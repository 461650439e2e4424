/**
 * The map's base: the bundled vector base map underneath, OpenStreetMap tiles on top, and a status the UI can
 * show ("Offline base map (tiles unavailable)"). Tiles that fail to load are not drawn at all (OpenLayers skips
 * tiles in the error state), so the vector map shows through them instead of grey squares.
 */
import type Feature from 'ol/Feature';
import TileLayer from 'ol/layer/Tile';
import type VectorLayer from 'ol/layer/Vector';
import { unByKey } from 'ol/Observable';
import OSM from 'ol/source/OSM';
import type VectorSource from 'ol/source/Vector';
import { createOfflineBasemapLayer } from './offline-basemap';
import { createTileStatusTracker, type TileStatusStore } from './tile-status';

/** OpenStreetMap's standard tile server (an XYZ template). */
export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** Where connectivity comes from: `navigator.onLine` and the window's `online`/`offline` events in a browser. */
export interface Connectivity {
  isOnline(): boolean;
  events: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
}

/** Options of {@link createBaseLayers}. */
export interface BaseLayersOptions {
  /** XYZ tile URL template; default {@link OSM_TILE_URL}. Tiles must be CORS-enabled (the app is cross-origin isolated). */
  tileUrl?: string;
  /** Attribution of the tiles; default OpenStreetMap's. */
  attributions?: string;
  /** Highest zoom level the tile server has; default 19. */
  maxZoom?: number;
  /** Consecutive tile errors before the status turns `failing`; default 3. */
  failAfter?: number;
  /** Default: the browser's, when there is a window; `null` to ignore connectivity (e.g. in Node). */
  connectivity?: Connectivity | null;
}

/** What {@link createBaseLayers} returns. */
export interface BaseLayers {
  /** `[offline, tiles]`, bottom to top: add them to the map before any other layer. */
  layers: [VectorLayer<VectorSource<Feature>>, TileLayer<OSM>];
  offline: VectorLayer<VectorSource<Feature>>;
  tiles: TileLayer<OSM>;
  /** Whether online tiles work. */
  status: TileStatusStore;
  /** Stops listening to tile and connectivity events (call when the map goes away). */
  dispose(): void;
}

const browserConnectivity = (): Connectivity | null =>
  typeof window !== 'undefined' && typeof navigator !== 'undefined' ? { isOnline: () => navigator.onLine, events: window } : null;

/**
 * Creates the base layers and starts tracking the tiles' status.
 *
 * @example
 * const base = createBaseLayers();
 * const map = new Map({ target, layers: [...base.layers, resultLayer], view: new View({ center: fromLonLat([29.8, -19]), zoom: 6 }) });
 * const status = useSyncExternalStore(base.status.subscribe, base.status.get); // 'online' | 'offline' | 'failing'
 */
export function createBaseLayers(options: BaseLayersOptions = {}): BaseLayers {
  const connectivity = options.connectivity === undefined ? browserConnectivity() : options.connectivity;
  const tracker = createTileStatusTracker({ failAfter: options.failAfter, online: connectivity?.isOnline() ?? true });

  // OSM's default crossOrigin ('anonymous') is kept: under COEP require-corp, cross-origin images load only with CORS.
  const source = new OSM({ url: options.tileUrl ?? OSM_TILE_URL, attributions: options.attributions, maxZoom: options.maxZoom });
  const tiles = new TileLayer({ source, properties: { title: 'OpenStreetMap' } });
  const offline = createOfflineBasemapLayer();

  const keys = [source.on('tileloadend', tracker.tileLoaded), source.on('tileloaderror', tracker.tileFailed)];
  const onOnline = () => {
    tracker.setOnline(true);
    // Tiles that failed while offline stay in the error state in OpenLayers' cache: request them again.
    source.refresh();
  };
  const onOffline = () => tracker.setOnline(false);
  connectivity?.events.addEventListener('online', onOnline);
  connectivity?.events.addEventListener('offline', onOffline);

  return {
    layers: [offline, tiles],
    offline,
    tiles,
    status: { get: tracker.get, subscribe: tracker.subscribe },
    dispose() {
      unByKey(keys);
      connectivity?.events.removeEventListener('online', onOnline);
      connectivity?.events.removeEventListener('offline', onOffline);
    },
  };
}
