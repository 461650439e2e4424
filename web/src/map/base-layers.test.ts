import VectorLayer from 'ol/layer/Vector';
import { ATTRIBUTION as OSM_ATTRIBUTION } from 'ol/source/OSM';
import { TileSourceEvent } from 'ol/source/Tile';
import { describe, expect, it, vi } from 'vitest';
import { OSM_TILE_URL, createBaseLayers, type Connectivity } from './base-layers';
import { BASEMAP_COLOURS } from './offline-basemap';

/** A stand-in for `navigator.onLine` + the window's online/offline events. */
function fakeNetwork(onLine: boolean): { connectivity: Connectivity; go(online: boolean): void } {
  const events = new EventTarget();
  return {
    connectivity: { isOnline: () => onLine, events },
    go(online) {
      onLine = online;
      events.dispatchEvent(new Event(online ? 'online' : 'offline'));
    },
  };
}

// Tile events as OpenLayers' UrlTile source dispatches them (the tile itself is not read).
const tileEvent = (type: 'tileloadend' | 'tileloaderror') => new TileSourceEvent(type, undefined as never);

describe('createBaseLayers', () => {
  it('puts the offline vector map under OpenStreetMap tiles, with OSM URL and attribution by default', () => {
    const base = createBaseLayers({ connectivity: null });
    expect(base.layers).toEqual([base.offline, base.tiles]);
    expect(base.offline).toBeInstanceOf(VectorLayer);
    expect(base.offline.getBackground()).toBe(BASEMAP_COLOURS.background);
    const source = base.tiles.getSource();
    expect(source?.getUrls()).toEqual([OSM_TILE_URL]);
    expect(OSM_TILE_URL).toBe('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    expect(source?.getAttributions()?.({} as never)).toEqual([OSM_ATTRIBUTION]);
    expect(source?.getTileGrid()?.getMaxZoom()).toBe(19);
    expect(base.status.get()).toBe('online');
  });

  it('takes a tile URL, attribution and max zoom', () => {
    const base = createBaseLayers({ tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', attributions: '© Example', maxZoom: 12, connectivity: null });
    const source = base.tiles.getSource();
    expect(source?.getUrls()).toEqual(['https://tiles.example.org/{z}/{x}/{y}.png']);
    expect(source?.getAttributions()?.({} as never)).toEqual(['© Example']);
    expect(source?.getTileGrid()?.getMaxZoom()).toBe(12);
  });

  it('reports failing after failAfter consecutive tile errors and online after a tile loads', () => {
    const base = createBaseLayers({ failAfter: 2, connectivity: null });
    const source = base.tiles.getSource()!;
    const seen: string[] = [];
    base.status.subscribe((s) => seen.push(s));
    source.dispatchEvent(tileEvent('tileloaderror'));
    expect(base.status.get()).toBe('online');
    source.dispatchEvent(tileEvent('tileloaderror'));
    expect(base.status.get()).toBe('failing');
    source.dispatchEvent(tileEvent('tileloadend'));
    expect(base.status.get()).toBe('online');
    expect(seen).toEqual(['failing', 'online']);
  });

  it('follows the browser offline and back, retrying the tiles when it comes back', () => {
    const net = fakeNetwork(false);
    const base = createBaseLayers({ connectivity: net.connectivity });
    const source = base.tiles.getSource()!;
    const refresh = vi.spyOn(source, 'refresh');
    expect(base.status.get()).toBe('offline');
    for (let i = 0; i < 5; i++) source.dispatchEvent(tileEvent('tileloaderror'));
    net.go(true);
    expect(base.status.get()).toBe('online');
    expect(refresh).toHaveBeenCalledTimes(1);
    net.go(false);
    expect(base.status.get()).toBe('offline');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('stops listening once disposed', () => {
    const net = fakeNetwork(true);
    const base = createBaseLayers({ failAfter: 1, connectivity: net.connectivity });
    base.dispose();
    base.tiles.getSource()!.dispatchEvent(tileEvent('tileloaderror'));
    net.go(false);
    expect(base.status.get()).toBe('online');
  });
});
