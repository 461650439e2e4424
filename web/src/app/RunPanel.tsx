/** Season, model, smoothing and outputs; Run / Cancel; progress per stage; failures in plain words. */
import { useId, useState } from 'react';
import { SMOOTHING_KERNELS, type SmoothingKernel } from '../../../shared/contract/job';
import { seasonLabel } from '../../../shared/stac/search-season';
import { formatBytes } from '../../../shared/text/format-bytes';
import type { ModelChoice } from './app-config';
import type { RunState } from './run-controller';

/** The run settings the form edits. */
export interface RunSettings {
  year: number;
  model: string;
  kernel: SmoothingKernel;
  trueColour: boolean;
  indices: boolean;
  monthly: boolean;
}

export interface RunPanelProps {
  settings: RunSettings;
  onSettings(s: RunSettings): void;
  years: number[];
  models: ModelChoice[];
  card?: string;
  onShowCard(id: string): void;
  canRun: boolean;
  why?: string;
  state: RunState;
  onRun(): void;
  onCancel(): void;
}

export function RunPanel(p: RunPanelProps) {
  const id = useId();
  const { settings: s, state } = p;
  const [showCard, setShowCard] = useState(false);
  const set = (patch: Partial<RunSettings>) => p.onSettings({ ...s, ...patch });
  const model = p.models.find((m) => m.manifest.id === s.model);
  const running = state.phase === 'running';
  return (
    <section aria-labelledby={`${id}-h`} className="panel-section">
      <h2 id={`${id}-h`}>Season and model</h2>
      <label className="block">
        Season
        <select value={s.year} onChange={(e) => set({ year: Number(e.target.value) })} data-testid="year">
          {p.years.map((y) => <option key={y} value={y}>{seasonLabel(y)}</option>)}
        </select>
      </label>
      <label className="block">
        Model
        <select value={s.model} onChange={(e) => set({ model: e.target.value })} data-testid="model">
          {p.models.map((m) => (
            <option key={m.manifest.id} value={m.manifest.id} disabled={Boolean(m.unavailable)}>
              {m.manifest.id} {m.manifest.version} ({m.manifest.task}){m.unavailable ? ' — not in the browser yet' : ''}
            </option>
          ))}
        </select>
      </label>
      {model && (
        <p className="hint">
          {model.manifest.classes.length} classes · {typeof model.manifest.metrics.overallAccuracy === 'number' ? `accuracy ${(model.manifest.metrics.overallAccuracy * 100).toFixed(1)} %` : ''} · licence {model.manifest.licence}{' '}
          <button type="button" className="link" onClick={() => { setShowCard(!showCard); if (!showCard) p.onShowCard(s.model); }} aria-expanded={showCard}>
            {showCard ? 'Hide the model card' : 'Model card'}
          </button>
        </p>
      )}
      {showCard && <pre className="card" data-testid="model-card">{p.card ?? 'Loading…'}</pre>}
      <fieldset className="row">
        <legend>Smoothing kernel</legend>
        {SMOOTHING_KERNELS.map((k) => (
          <label key={k} className="check"><input type="radio" name={`${id}-k`} checked={s.kernel === k} onChange={() => set({ kernel: k })} /> {k}×{k}</label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Outputs</legend>
        <label className="check"><input type="checkbox" checked={s.trueColour} onChange={(e) => set({ trueColour: e.target.checked })} /> True colour</label>
        <label className="check"><input type="checkbox" checked={s.indices} onChange={(e) => set({ indices: e.target.checked })} /> NDVI / EVI / SAVI peaks</label>
        <label className="check"><input type="checkbox" checked={s.monthly} onChange={(e) => set({ monthly: e.target.checked })} /> Monthly composites</label>
      </fieldset>
      <div className="row actions">
        <button type="button" className="primary" onClick={p.onRun} disabled={!p.canRun || running} data-testid="run">Map crops</button>
        <button type="button" onClick={p.onCancel} disabled={!running} data-testid="cancel">Cancel</button>
      </div>
      {!p.canRun && p.why && <p className="hint">{p.why}</p>}
      {/* Room for the server issue: logged-in analysts will send larger areas (over 5 km) and long jobs there. */}
      <div className="row actions server-run">
        <button type="button" disabled aria-describedby={`${id}-server`} data-testid="send-to-server">Send to server</button>
        <span id={`${id}-server`} className="hint">Sign in to run larger areas on the GeoCrop server — accounts and server runs are not available yet; areas up to 5 km run here, in your browser.</span>
      </div>
      <RunStatus state={state} />
    </section>
  );
}

function RunStatus({ state }: { state: RunState }) {
  if (state.phase === 'idle') return null;
  return (
    <div className="status" aria-live="polite" data-testid="run-status" data-phase={state.phase}>
      {state.phase === 'running' && (
        <>
          <progress value={state.progress.overall} max={1} aria-label="Overall progress" />
          <ol className="stages">
            {state.progress.rows.map((r) => (
              <li key={r.stage} data-state={r.state}>
                <span className="stage-name">{r.label}</span>
                <progress value={r.fraction} max={1} aria-label={r.label} />
                <span className="hint">{r.message}{r.detail && typeof r.detail.bytes === 'number' ? ` · ${formatBytes(r.detail.bytes)}` : ''}</span>
              </li>
            ))}
          </ol>
          {state.previewError && <p className="hint" data-testid="preview-error">No preview: {state.previewError}</p>}
          {state.previewMs !== undefined && <p className="hint">Preview shown after {(state.previewMs / 1000).toFixed(1)} s; the 10 m map replaces it when ready.</p>}
        </>
      )}
      {state.phase === 'done' && state.manifest && (
        <p data-testid="done">
          Done{state.fullMs !== undefined ? ` in ${(state.fullMs / 1000).toFixed(1)} s` : ''}: {state.manifest.scenes.used.length} scenes used, {state.manifest.scenes.skipped.length} skipped, {formatBytes(state.manifest.bytes.fetched)} downloaded.
          {state.saved ? ' Saved in History.' : ''}
          {state.cache && state.cache.hits > 0 && state.cache.misses === 0 ? ' Computed offline from data saved on this device.' : ''}
        </p>
      )}
      {state.phase === 'done' && state.manifest?.warnings.length ? (
        <details><summary>{state.manifest.warnings.length} warnings</summary><ul>{state.manifest.warnings.map((w) => <li key={w}>{w}</li>)}</ul></details>
      ) : null}
      {state.historyError && <p className="field-error">{state.historyError}</p>}
      {state.phase === 'cancelled' && <p role="status">Cancelled. Nothing more is downloaded.</p>}
      {state.phase === 'failed' && state.error && (
        <div role="alert" className="error" data-testid="run-error" data-code={state.error.code}>
          <p><strong>{state.error.title}.</strong> {state.error.message}</p>
        </div>
      )}
    </div>
  );
}
