import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deaReachable, loadAppConfig, loadModels } from './app-config';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Answers from a table of URL → JSON body (status 200), else 404; records the URLs asked. */
function fakeFetch(table: Record<string, unknown | Error>) {
  const asked: string[] = [];
  const fn = async (url: string) => {
    asked.push(url);
    const v = table[url];
    if (v instanceof Error) throw v;
    return v === undefined ? new Response('no', { status: 404 }) : new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });
  };
  return Object.assign(fn, { asked });
}

const CONFIG = { stacUrl: 'https://explorer.digitalearth.africa/stac', s3HttpsTemplate: 'x', proxyTemplate: '/api/proxy?url={url}', maxRadiusM: 25000, demo: { stacUrl: '/demo/stac', region: [29.9, -17.9, 30.1, -17.7], seasons: [2022], seed: 42 } };

describe('app config', () => {
  it('keeps the browser radius limit and the demo extent', async () => {
    const c = await loadAppConfig(fakeFetch({ '/api/config': CONFIG }));
    expect(c).toEqual({ stacUrl: CONFIG.stacUrl, proxyTemplate: CONFIG.proxyTemplate, maxRadiusM: 5000, demo: { region: [29.9, -17.9, 30.1, -17.7], seasons: [2022], seed: 42 } });
    expect((await loadAppConfig(fakeFetch({ '/api/config': { ...CONFIG, maxRadiusM: 3000 } }))).maxRadiusM).toBe(3000);
  });

  it('starts offline from the last configuration the server gave, and only offline', async () => {
    const memory = new Map<string, string>();
    const saved = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v) };
    await expect(loadAppConfig(fakeFetch({ '/api/config': new TypeError('Failed to fetch') }), undefined, saved)).rejects.toThrow(/unreachable/);
    const online = await loadAppConfig(fakeFetch({ '/api/config': CONFIG }), undefined, saved);
    expect(await loadAppConfig(fakeFetch({ '/api/config': new TypeError('Failed to fetch') }), undefined, saved)).toEqual(online);
    // A server that answers with an error is not "offline": say so rather than pretend.
    await expect(loadAppConfig(fakeFetch({}), undefined, saved)).rejects.toMatchObject({ code: 'READ_FAILED' });
  });

  it('says what to do when the server is unreachable or of another version', async () => {
    await expect(loadAppConfig(fakeFetch({ '/api/config': new TypeError('Failed to fetch') }))).rejects.toThrow(/server is unreachable.*History still open offline/);
    await expect(loadAppConfig(fakeFetch({ '/api/config': { stacUrl: 'x' } }))).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('Reload the page') });
    await expect(loadAppConfig(fakeFetch({}))).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining('HTTP 404') });
  });

  it('lists the shipped models, marking the one whose inputs the browser cannot compute', async () => {
    const table: Record<string, unknown> = { '/models/index.json': JSON.parse(await readFile(path.join(repo, 'models/index.json'), 'utf8')) };
    for (const id of ['croptype-demo', 'cropmask-se']) table[`/models/${id}/manifest.json`] = JSON.parse(await readFile(path.join(repo, `models/${id}/manifest.json`), 'utf8'));
    const models = await loadModels(fakeFetch(table));
    const byId = Object.fromEntries(models.map((m) => [m.manifest.id, m]));
    expect(Object.keys(byId).sort()).toEqual(['cropmask-se', 'croptype-demo']);
    expect(byId['croptype-demo'].unavailable).toBeUndefined();
    expect(byId['cropmask-se'].unavailable).toContain('DE Africa inputs');
  });

  it('finds Digital Earth Africa directly, through the proxy, or not at all', async () => {
    expect(await deaReachable(fakeFetch({ [CONFIG.stacUrl]: {} }), CONFIG, true)).toBe(true);
    const viaProxy = fakeFetch({ [CONFIG.stacUrl]: new TypeError('CORS'), [`/api/proxy?url=${encodeURIComponent(CONFIG.stacUrl)}`]: {} });
    expect(await deaReachable(viaProxy, CONFIG, true)).toBe(true);
    expect(viaProxy.asked).toHaveLength(2);
    expect(await deaReachable(fakeFetch({}), CONFIG, true)).toBe(false);
    const offline = fakeFetch({ [CONFIG.stacUrl]: {} });
    expect(await deaReachable(offline, CONFIG, false)).toBe(false);
    expect(offline.asked).toEqual([]);
  });
});
