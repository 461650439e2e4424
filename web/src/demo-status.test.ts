import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../shared/contract/errors';
import { describeError, formatInterval, formatSeason, loadCollections, loadHealth } from './demo-status';

const answer = (status: number, body: unknown) => async () =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('loadHealth', () => {
  it('reads the demo section', async () => {
    const h = await loadHealth(answer(200, { ok: true, demo: { seed: 42, seasons: [2022, 2023], scenes: 18, ready: true } }));
    expect(h).toEqual({ ok: true, demo: { seed: 42, seasons: [2022, 2023], scenes: 18, ready: true } });
  });

  it('explains a status without a demo section', async () => {
    await expect(loadHealth(answer(200, { ok: true }))).rejects.toThrow(/no "demo" section/);
  });

  it('explains HTTP errors in plain words, quoting the server', async () => {
    const err = await loadHealth(answer(503, { code: 'X', message: 'demo world is being generated' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GeoCropError);
    expect(describeError(err)).toBe('Could not load the server status: the server had a problem (HTTP 503). The server said: "demo world is being generated"');
    expect(describeError(await loadHealth(answer(404, '')).catch((e: unknown) => e))).toBe('Could not load the server status: it was not found (HTTP 404).');
  });

  it('explains a body that is not JSON', async () => {
    await expect(loadHealth(answer(200, '<html>'))).rejects.toThrow(/not valid JSON/);
  });
});

describe('loadCollections', () => {
  it('keeps id, title, item count and temporal extent', async () => {
    const list = await loadCollections(
      answer(200, {
        collections: [
          { id: 's2_l2a_c1', title: 'Sentinel-2 L2A (demo)', 'geocrop:item_count': 36, extent: { temporal: { interval: [['2022-09-01T00:00:00Z', null]] } } },
          { id: 'crop_mask_southeast', extent: {} },
        ],
      }),
    );
    expect(list).toEqual([
      { id: 's2_l2a_c1', title: 'Sentinel-2 L2A (demo)', itemCount: 36, temporal: { start: '2022-09-01T00:00:00Z', end: null } },
      { id: 'crop_mask_southeast', title: 'crop_mask_southeast' },
    ]);
    expect(formatInterval(list[0].temporal!)).toBe('2022-09-01 → open');
  });

  it('refuses an answer that is not a collection list', async () => {
    await expect(loadCollections(answer(200, { type: 'Catalog' }))).rejects.toThrow(/not with a list of collections/);
  });
});

describe('wording', () => {
  it('says what to do when the server is unreachable', () => {
    expect(describeError(new TypeError('fetch failed'))).toMatch(/Could not reach the GeoCrop server.*npm start/);
  });

  it('formats seasons', () => {
    expect(formatSeason(2022)).toBe('2022/23');
    expect(formatSeason(2099)).toBe('2099/00');
  });
});
