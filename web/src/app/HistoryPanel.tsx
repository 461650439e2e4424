/** Past runs (IndexedDB): reopen instantly, offline too, or delete. */
import { formatBytes } from '../../../shared/text/format-bytes';
import { seasonLabel } from '../../../shared/stac/search-season';
import type { RunSummary } from './history-store';

export function HistoryPanel({ runs, current, onOpen, onDelete, error }: { runs: RunSummary[]; current?: string; onOpen(id: string): void; onDelete(id: string): void; error?: string }) {
  return (
    <section className="panel-section" aria-labelledby="history-h" data-testid="history">
      <h2 id="history-h">History</h2>
      {error && <p className="field-error" role="alert">{error}</p>}
      {runs.length === 0 ? <p className="hint">Finished runs are kept here, on this device, and open without a connection.</p> : (
        <ul className="history">
          {runs.map((r) => (
            <li key={r.id} aria-current={r.id === current ? 'true' : undefined}>
              <button type="button" className="link" onClick={() => onOpen(r.id)}>
                {r.request.aoi.lon.toFixed(3)}, {r.request.aoi.lat.toFixed(3)} · {(r.request.aoi.radius_m / 1000).toFixed(1)} km · {seasonLabel(r.request.year)}
              </button>
              <span className="hint"> {new Date(r.created).toLocaleString()} · {r.source === 'demo' ? 'demo world' : 'DE Africa'} · {r.modelId} · {formatBytes(r.bytes)}</span>
              <button type="button" className="small" onClick={() => onDelete(r.id)} aria-label={`Delete the run of ${new Date(r.created).toLocaleString()}`}>Delete</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
