import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_FAIL_AFTER, createTileStatusTracker } from './tile-status';

describe('createTileStatusTracker', () => {
  it('turns failing only after failAfter consecutive errors, and online again after one loaded tile', () => {
    const t = createTileStatusTracker({ failAfter: 3 });
    expect(t.get()).toBe('online');
    t.tileFailed();
    t.tileFailed();
    expect(t.get()).toBe('online');
    t.tileLoaded(); // breaks the run of failures
    t.tileFailed();
    t.tileFailed();
    expect(t.get()).toBe('online');
    t.tileFailed();
    expect(t.get()).toBe('failing');
    t.tileFailed();
    expect(t.get()).toBe('failing');
    t.tileLoaded();
    expect(t.get()).toBe('online');
  });

  it('defaults to 3 failures and rejects a failAfter that is not a positive integer', () => {
    expect(DEFAULT_FAIL_AFTER).toBe(3);
    const t = createTileStatusTracker();
    for (let i = 0; i < DEFAULT_FAIL_AFTER - 1; i++) t.tileFailed();
    expect(t.get()).toBe('online');
    t.tileFailed();
    expect(t.get()).toBe('failing');
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => createTileStatusTracker({ failAfter: bad })).toThrow(RangeError);
  });

  it('is offline whenever the browser is, and forgets offline failures when it comes back', () => {
    const t = createTileStatusTracker({ failAfter: 2, online: false });
    expect(t.get()).toBe('offline');
    t.tileFailed();
    t.tileFailed();
    t.tileLoaded(); // a tile from the HTTP cache does not make the browser online
    t.tileFailed();
    t.tileFailed();
    expect(t.get()).toBe('offline');
    t.setOnline(true);
    expect(t.get()).toBe('online');
    t.tileFailed();
    expect(t.get()).toBe('online');
    t.tileFailed();
    expect(t.get()).toBe('failing');
    t.setOnline(false);
    expect(t.get()).toBe('offline');
    t.setOnline(false);
    expect(t.get()).toBe('offline');
  });

  it('keeps failing when told "online" while already online (no failures forgotten)', () => {
    const t = createTileStatusTracker({ failAfter: 1 });
    t.tileFailed();
    t.setOnline(true);
    expect(t.get()).toBe('failing');
  });

  it('notifies subscribers once per change, with the new status, until they unsubscribe', () => {
    const t = createTileStatusTracker({ failAfter: 2 });
    const seen = vi.fn();
    const unsubscribe = t.subscribe(seen);
    t.tileFailed();
    t.tileFailed();
    t.tileFailed();
    t.setOnline(false);
    t.setOnline(true);
    expect(seen.mock.calls).toEqual([['failing'], ['offline'], ['online']]);
    unsubscribe();
    t.setOnline(false);
    expect(seen).toHaveBeenCalledTimes(3);
    expect(t.get()).toBe('offline');
  });
});
