// The in-memory store against the store contract (IndexedDB answers to the same cases in offline.browser.test.ts),
// and the size and error rules both stores share.
import { describe, expect, it } from 'vitest';
import { GeoCropError } from '../../../shared/contract/errors';
import { checkMaxBytes, createMemoryResponseStore, DEFAULT_MAX_BYTES, entrySize, storageError } from './response-store';
import { rangeAnswer, storeContract } from './testing/store-contract';

describe('in-memory response store', () => {
  storeContract(async ({ maxBytes }) => createMemoryResponseStore({ maxBytes }));

  it('defaults to a 1 GiB cap and says it does not persist', async () => {
    expect(await createMemoryResponseStore().stats()).toEqual({ entries: 0, bytes: 0, maxBytes: DEFAULT_MAX_BYTES, persistent: false });
    expect(DEFAULT_MAX_BYTES).toBe(2 ** 30);
  });

  it('hands out copies: changing a returned body does not change the entry', async () => {
    const store = createMemoryResponseStore();
    await store.put('k', rangeAnswer(1));
    (await store.get('k'))!.body.fill(0);
    expect((await store.get('k'))!.body).toEqual(rangeAnswer(1).body);
  });
});

describe('entrySize, checkMaxBytes, storageError', () => {
  it('counts the body plus the key and header text', () => {
    const answer = { status: 200, headers: { etag: '"x"' }, body: new Uint8Array(10) };
    expect(entrySize('GET u', answer)).toBe(10 + 'GET u'.length + 'etag'.length + '"x"'.length);
  });

  it('refuses caps that are not positive finite byte counts', () => {
    expect(checkMaxBytes(1)).toBe(1);
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => checkMaxBytes(bad)).toThrow(RangeError);
    expect(() => createMemoryResponseStore({ maxBytes: 0 })).toThrow(RangeError);
  });

  it('reports a quota refusal as STORAGE_FULL and any other storage failure as INTERNAL, both saying what to do', () => {
    const full = storageError(new DOMException('Quota exceeded.', 'QuotaExceededError'));
    expect([full.code, full.message]).toEqual(['STORAGE_FULL', expect.stringContaining('Delete saved areas')]);
    const broken = storageError(new DOMException('The database connection is closing.', 'InvalidStateError'));
    expect([broken.code, broken.message]).toEqual(['INTERNAL', expect.stringContaining('InvalidStateError')]);
    const own = new GeoCropError('INVALID_REQUEST', 'x');
    expect(storageError(own)).toBe(own);
  });
});
