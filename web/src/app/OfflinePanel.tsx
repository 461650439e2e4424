/**
 * "Save this area for offline": fetches everything a run of the current area, season and model will read (scenes,
 * search answers, model) into the device's store, so field staff can recompute it without a connection; shows what
 * the store holds and empties it.
 */
import { useEffect, useRef, useState } from 'react';
import type { JobRequestInput } from '../../../shared/contract/job';
import { formatBytes } from '../../../shared/text/format-bytes';
import type { DataSource, PipelineClient, StoreStats } from '../worker';
import { describeFailure, PREVIEW_MAX_DATES, PREVIEW_RESOLUTION } from './run-controller';

type SaveState = { phase: 'idle' } | { phase: 'saving'; message: string } | { phase: 'saved'; bytes: number; dates: number } | { phase: 'failed'; message: string };

export function OfflinePanel({ client, request, source, disabled }: { client: () => Pick<PipelineClient, 'saveForOffline' | 'offlineStats' | 'clearOffline'>; request: JobRequestInput; source: DataSource; disabled: boolean }) {
  const [state, setState] = useState<SaveState>({ phase: 'idle' });
  const [stats, setStats] = useState<StoreStats | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const refresh = () => void client().offlineStats().then(setStats, () => undefined);
  useEffect(() => {
    refresh();
    // Saved areas must survive storage pressure: ask the browser to keep this origin's data (a page-only API).
    // Runs once: `client` is stable for the page.
    void navigator.storage?.persist?.().catch(() => false);
    return () => abort.current?.abort();
  }, []);

  const save = async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ phase: 'saving', message: 'Starting…' });
    try {
      const r = await client().saveForOffline(request, { source, signal: controller.signal, onProgress: (e) => setState({ phase: 'saving', message: e.message ?? e.stage }) });
      // And what the run's preview reads (80 m overviews of fewer dates), so that offline the map fills in as online.
      const p = await client().saveForOffline(request, {
        source, resolution: PREVIEW_RESOLUTION, maxDates: PREVIEW_MAX_DATES, signal: controller.signal,
        onProgress: (e) => setState({ phase: 'saving', message: `Preview: ${e.message ?? e.stage}` }),
      });
      setState({ phase: 'saved', bytes: r.bytesSaved + p.bytesSaved, dates: r.dates });
      setStats(p.store);
    } catch (err) {
      setState((err as Error).name === 'AbortError' ? { phase: 'idle' } : { phase: 'failed', message: describeFailure(err).message });
    } finally {
      refresh();
    }
  };
  const clear = async () => setStats(await client().clearOffline());

  return (
    <section className="panel-section" aria-labelledby="offline-h" data-testid="offline">
      <h2 id="offline-h">Offline</h2>
      <p className="hint">Save the data of this area and season on this device to map it again without a connection.</p>
      <div className="row actions">
        {state.phase === 'saving'
          ? <button type="button" onClick={() => abort.current?.abort()}>Stop saving</button>
          : <button type="button" onClick={() => void save()} disabled={disabled} data-testid="save-offline">Save this area for offline</button>}
        <button type="button" onClick={() => void clear()} disabled={!stats?.entries || state.phase === 'saving'}>Delete saved data</button>
      </div>
      {state.phase === 'saving' && <p role="status" className="hint">Saving: {state.message}</p>}
      {state.phase === 'saved' && <p role="status" data-testid="offline-saved">Saved {formatBytes(state.bytes)} new data ({state.dates} dates): this area can be mapped offline.</p>}
      {state.phase === 'failed' && <p role="alert" className="field-error">{state.message}</p>}
      {stats && <p className="hint" data-testid="offline-stats">On this device: {formatBytes(stats.bytes)} of {formatBytes(stats.maxBytes)} saved ({stats.entries} pieces).</p>}
    </section>
  );
}
