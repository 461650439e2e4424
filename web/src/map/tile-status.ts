/**
 * Whether online map tiles are working, from tile load events and the browser's connectivity. Plain logic with
 * no OpenLayers or DOM, so that it is tested with fake events.
 */

/**
 * `online`: tiles load (or nothing says otherwise yet). `failing`: the browser is online but the last
 * `failAfter` tile requests all failed. `offline`: the browser reports no network (`navigator.onLine` false).
 */
export type TileStatus = 'online' | 'offline' | 'failing';

/** Read-only view for the UI; fits React's `useSyncExternalStore(store.subscribe, store.get)`. */
export interface TileStatusStore {
  get(): TileStatus;
  /** Calls `listener` after each change of status; returns the unsubscribe function. */
  subscribe(listener: (status: TileStatus) => void): () => void;
}

/** The store plus the inputs that drive it. */
export interface TileStatusTracker extends TileStatusStore {
  tileLoaded(): void;
  tileFailed(): void;
  /** The browser's connectivity changed. Coming back online forgets the failures made while offline. */
  setOnline(online: boolean): void;
}

/** Default number of consecutive tile errors before the status turns `failing`. */
export const DEFAULT_FAIL_AFTER = 3;

/**
 * Creates a tracker. A single failed tile (a 404 at the edge of the world, a flaky request) is not an outage, hence
 * `failAfter` consecutive failures; one loaded tile proves tiles work again.
 *
 * @example
 * const status = createTileStatusTracker({ online: navigator.onLine });
 * source.on('tileloaderror', status.tileFailed);
 */
export function createTileStatusTracker(options: { failAfter?: number; online?: boolean } = {}): TileStatusTracker {
  const failAfter = options.failAfter ?? DEFAULT_FAIL_AFTER;
  if (!Number.isInteger(failAfter) || failAfter < 1) throw new RangeError(`failAfter must be a positive integer, got ${failAfter}`);
  let online = options.online ?? true;
  let failures = 0;
  const listeners = new Set<(status: TileStatus) => void>();
  const compute = (): TileStatus => (!online ? 'offline' : failures >= failAfter ? 'failing' : 'online');
  let status = compute();

  const update = (change: () => void) => {
    change();
    const next = compute();
    if (next === status) return;
    status = next;
    for (const listener of [...listeners]) listener(status);
  };

  return {
    get: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tileLoaded: () => update(() => (failures = 0)),
    tileFailed: () => update(() => failures++),
    setOnline: (value) =>
      update(() => {
        if (value && !online) failures = 0;
        online = value;
      }),
  };
}
