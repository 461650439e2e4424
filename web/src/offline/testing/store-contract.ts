/**
 * Test support: what every {@link ResponseStore} must do, as vitest cases. Run against the in-memory store in Node
 * (response-store.test.ts) and against IndexedDB in Chromium (offline.browser.test.ts drives the store in a page),
 * so both implementations answer to the same cases.
 */
import { expect, it } from 'vitest';
import { entrySize, type ResponseStore, type StoredResponse } from '../response-store';

/** Makes a fresh, empty store with this cap. */
export type StoreFactory = (opts: { maxBytes: number }) => Promise<ResponseStore>;

/** A 206 answer of `n` bytes whose values depend on `seed`. */
export function rangeAnswer(seed: number, n = 1000): StoredResponse {
  const body = new Uint8Array(n);
  for (let i = 0; i < n; i++) body[i] = (seed * 31 + i * 7) & 0xff;
  return { status: 206, headers: { 'content-type': 'image/tiff', 'content-range': `bytes 0-${n - 1}/${n * 10}`, 'content-length': String(n), etag: `"e${String(seed).padStart(4, '0')}"` }, body };
}

const key = (name: string) => `GET https://geocrop.test/${name}.tif bytes=0-999`;

/** Declares the contract's cases (call inside a `describe`). */
export function storeContract(create: StoreFactory): void {
  const one = entrySize(key('a'), rangeAnswer(0));

  it('returns what was put (status, headers, exact bytes) and nothing for other keys', async () => {
    const store = await create({ maxBytes: 10 * one });
    const answer = rangeAnswer(1, 1000);
    // A view into a larger buffer: only its own bytes belong to the entry.
    const padded = new Uint8Array(3000);
    padded.set(answer.body, 1000);
    await store.put(key('a'), { ...answer, body: padded.subarray(1000, 2000) });
    const got = await store.get(key('a'));
    expect(got?.status).toBe(206);
    expect(got?.headers).toEqual(answer.headers);
    expect(got && Array.from(got.body)).toEqual(Array.from(answer.body));
    expect(await store.get(key('b'))).toBeUndefined();
    expect(await store.stats()).toMatchObject({ entries: 1, bytes: one });
  });

  it('counts a replaced entry once, at its new size', async () => {
    const store = await create({ maxBytes: 10 * one });
    await store.put(key('a'), rangeAnswer(1));
    await store.put(key('a'), rangeAnswer(2, 400));
    expect(await store.stats()).toMatchObject({ entries: 1, bytes: entrySize(key('a'), rangeAnswer(2, 400)) });
    expect((await store.get(key('a')))?.body[1]).toBe(rangeAnswer(2, 400).body[1]);
  });

  it('evicts the least recently used entries first, a read counting as a use, and stays within its cap', async () => {
    const store = await create({ maxBytes: 3 * one });
    for (const name of ['a', 'b', 'c']) await store.put(key(name), rangeAnswer(name.charCodeAt(0)));
    expect(await store.get(key('a'))).toBeDefined(); // a is now the most recently used
    await store.put(key('d'), rangeAnswer(4));
    // One read at a time: the order of reads is the order of uses.
    const present = async () => {
      const out: string[] = [];
      for (const n of ['a', 'b', 'c', 'd']) out.push((await store.get(key(n))) ? n : '-');
      return out;
    };
    expect(await present()).toEqual(['a', '-', 'c', 'd']);
    // present() read a, c, d in that order: c is now older than d, a the oldest.
    await store.put(key('e'), rangeAnswer(5));
    expect(await present()).toEqual(['-', '-', 'c', 'd']);
    const stats = await store.stats();
    expect(stats).toMatchObject({ entries: 3, bytes: 3 * one, maxBytes: 3 * one });
  });

  it('refuses an entry larger than the whole cap, keeping what it has', async () => {
    const store = await create({ maxBytes: 2 * one });
    await store.put(key('a'), rangeAnswer(1));
    await store.put(key('huge'), rangeAnswer(2, 3 * one));
    expect(await store.get(key('huge'))).toBeUndefined();
    expect(await store.stats()).toMatchObject({ entries: 1, bytes: one });
  });

  it('evicts at once when the cap is lowered, and empties on clear', async () => {
    const store = await create({ maxBytes: 4 * one });
    for (const name of ['a', 'b', 'c', 'd']) await store.put(key(name), rangeAnswer(1));
    await store.setMaxBytes(2 * one + 1);
    expect(await store.stats()).toMatchObject({ entries: 2, bytes: 2 * one, maxBytes: 2 * one + 1 });
    expect(await store.get(key('a'))).toBeUndefined();
    expect(await store.get(key('d'))).toBeDefined();
    await store.clear();
    expect(await store.stats()).toMatchObject({ entries: 0, bytes: 0 });
    expect(await store.get(key('d'))).toBeUndefined();
  });
}
