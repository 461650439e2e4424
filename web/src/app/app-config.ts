/**
 * What the page loads before the first run: the server's public config (data sources, radius limit, the demo
 * world's extent), the model catalogue (index + manifests, for the picker, legend and card), and whether Digital
 * Earth Africa is reachable — without it the app runs on the demo world and says so.
 */
import { BROWSER_MAX_RADIUS_M } from '../../../shared/contract/aoi';
import { GeoCropError } from '../../../shared/contract/errors';
import { featureDef } from '../../../shared/features/catalogue';
import { parseModelIndex } from '../../../shared/model/bundle-index';
import { parseModelManifest, type ModelManifest } from '../../../shared/model/manifest';
import type { LonLatBox } from './aoi-form';

/** The `/api/config` fields the page uses. */
export interface AppConfig {
  stacUrl: string;
  proxyTemplate?: string;
  /** Largest radius a run in this browser may use, metres (the browser limit, or the server's if smaller). */
  maxRadiusM: number;
  demo: { region: LonLatBox; seasons: number[]; seed: number };
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

async function getJson(fetchFn: FetchLike, url: string, what: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchFn(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new GeoCropError('READ_FAILED', `Could not load ${what} (${url}): the GeoCrop server is unreachable. Check the connection and reload; runs already in History still open offline.`, { url });
  }
  if (!res.ok) throw new GeoCropError('READ_FAILED', `Loading ${what} (${url}) failed with HTTP ${res.status}. Reload the page; if it persists the server needs attention.`, { url, status: res.status });
  return res.json();
}

/** Where the last configuration the server gave is kept, for starting offline. */
export const CONFIG_STORAGE_KEY = 'geocrop:last-config';

/**
 * Loads and checks `/api/config`. Offline (the server unreachable), the last configuration seen is used, so a
 * tablet that opened the app once starts without a connection.
 *
 * @param saved where the last good answer is kept (`localStorage` in the page).
 */
export async function loadAppConfig(fetchFn: FetchLike, signal?: AbortSignal, saved?: Pick<Storage, 'getItem' | 'setItem'>): Promise<AppConfig> {
  let json: unknown;
  try {
    json = await getJson(fetchFn, '/api/config', 'the server configuration', signal);
    saved?.setItem(CONFIG_STORAGE_KEY, JSON.stringify(json));
  } catch (err) {
    const last = saved?.getItem(CONFIG_STORAGE_KEY);
    if (!last || (err as Error).name === 'AbortError' || (err as { details?: { status?: number } }).details?.status !== undefined) throw err;
    json = JSON.parse(last);
  }
  const j = json as Record<string, unknown> | null;
  const demo = j?.demo as Record<string, unknown> | undefined;
  const region = demo?.region;
  if (!j || typeof j.stacUrl !== 'string' || !demo || !Array.isArray(region) || region.length !== 4 || !region.every((v) => typeof v === 'number')) {
    throw new GeoCropError('INTERNAL', 'The server configuration lacks stacUrl or demo.region: the page and the server are different versions. Reload the page.');
  }
  const serverMax = typeof j.maxRadiusM === 'number' ? j.maxRadiusM : BROWSER_MAX_RADIUS_M;
  return {
    stacUrl: j.stacUrl,
    proxyTemplate: typeof j.proxyTemplate === 'string' ? j.proxyTemplate : undefined,
    maxRadiusM: Math.min(BROWSER_MAX_RADIUS_M, serverMax),
    demo: {
      region: region as unknown as LonLatBox,
      seasons: Array.isArray(demo.seasons) ? demo.seasons.filter((y): y is number => typeof y === 'number') : [],
      seed: typeof demo.seed === 'number' ? demo.seed : Number.NaN,
    },
  };
}

/** A model as the picker shows it. */
export interface ModelChoice {
  manifest: ModelManifest;
  /** Why the browser cannot run it (inputs it cannot compute yet); undefined when it can. */
  unavailable?: string;
}

/** Loads `/models/index.json` and every listed manifest; a model whose inputs the pipeline cannot compute is listed but marked. */
export async function loadModels(fetchFn: FetchLike, signal?: AbortSignal): Promise<ModelChoice[]> {
  const index = parseModelIndex(await getJson(fetchFn, '/models/index.json', 'the model list', signal));
  return Promise.all(index.bundles.map(async (b) => {
    const manifest = parseModelManifest(await getJson(fetchFn, `/models/${encodeURIComponent(b.id)}/manifest.json`, `model ${b.id}`, signal));
    const external = manifest.features.filter((f) => featureDef(f)?.group === 'external');
    return {
      manifest,
      unavailable: external.length
        ? `needs ${external.length} DE Africa inputs (GeoMAD medians, rainfall, slope) that the browser does not compute yet`
        : undefined,
    };
  }));
}

/** The model card (Markdown text). */
export async function loadModelCard(fetchFn: FetchLike, id: string, signal?: AbortSignal): Promise<string> {
  const url = `/models/${encodeURIComponent(id)}/card.md`;
  const res = await fetchFn(url, { signal }).catch(() => undefined);
  if (!res?.ok) throw new GeoCropError('READ_FAILED', `The card of model ${id} could not be loaded (${url}); it is available when the server is reachable.`, { url });
  return res.text();
}

/** How long the reachability probe waits, ms. */
export const PROBE_TIMEOUT_MS = 4000;

/**
 * True when Digital Earth Africa's STAC API answers (directly, or through the server's proxy when the browser's
 * CORS rules block a direct call). False offline, or when the host is unreachable within {@link PROBE_TIMEOUT_MS}.
 */
export async function deaReachable(fetchFn: FetchLike, config: Pick<AppConfig, 'stacUrl' | 'proxyTemplate'>, online: boolean, signal?: AbortSignal): Promise<boolean> {
  if (!online) return false;
  const urls = [config.stacUrl];
  if (config.proxyTemplate) urls.push(config.proxyTemplate.replace('{url}', encodeURIComponent(config.stacUrl)));
  for (const url of urls) {
    const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await fetchFn(url, { signal: both, headers: { accept: 'application/json' } });
      if (res.ok) return true;
    } catch (err) {
      if (signal?.aborted) throw err;
    }
  }
  return false;
}
