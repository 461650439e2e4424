/**
 * GeoCrop's page: the map with the area circle, the panels (area, season and model, run, result, pixel inspector,
 * history) and the status line (data source, base map, threads). State lives here; the work happens in the
 * pipeline Workers (run-controller) and the stores.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type OlMap from 'ol/Map';
import type { Aoi } from '../../../shared/contract/aoi';
import { INDEX_OUTPUTS, type JobRequestInput } from '../../../shared/contract/job';
import { seasonWindow, latestStartedSeason, FIRST_SEASON_YEAR } from '../../../shared/contract/season';
import { seasonLabel } from '../../../shared/stac/search-season';
import { createPipelineClient, type DataSource, type PipelineClient } from '../worker';
import { checkAoi } from './aoi-form';
import { deaReachable, loadAppConfig, loadModelCard, loadModels, type AppConfig, type ModelChoice } from './app-config';
import { AreaPanel } from './AreaPanel';
import type { LayerKind, PixelReport } from './display-result';
import { HistoryPanel } from './HistoryPanel';
import { openHistory, type RunHistory, type RunSummary } from './history-store';
import { Inspector } from './Inspector';
import { MapView } from './MapView';
import { OfflinePanel } from './OfflinePanel';
import { ResultPanel } from './ResultPanel';
import { RunController, type RunState } from './run-controller';
import { RunPanel, type RunSettings } from './RunPanel';
import { useBaseMap } from './use-base-map';

/** The demo world's preset area: its centre, 2 km. */
export function demoPreset(region: readonly number[]): Aoi {
  return { lon: Math.round(((region[0] + region[2]) / 2) * 1e5) / 1e5, lat: Math.round(((region[1] + region[3]) / 2) * 1e5) / 1e5, radius_m: 2000 };
}

/** Over the map, so the run stays in view while the panel scrolls: overall progress, current step, cancel. */
function MapStatus({ state, onCancel }: { state: RunState; onCancel(): void }) {
  if (state.phase !== 'running') return null;
  const current = state.progress.rows.find((r) => r.state === 'running') ?? state.progress.rows.find((r) => r.state === 'waiting');
  return (
    <div className="map-status" role="status" data-testid="map-status">
      <progress value={state.progress.overall} max={1} aria-label="Overall progress" />
      <span>{state.display ? (state.display.stage === 'baseline' ? 'Baseline shown · ' : 'Preview shown · ') : ''}{current ? `${current.label}${current.message ? `: ${current.message}` : '…'}` : 'Starting…'}</span>
      <button type="button" className="small" onClick={onCancel}>Cancel</button>
    </div>
  );
}

/** The page's two pipeline Workers, each started when first asked for. */
function lazyWorkers() {
  let main: PipelineClient | undefined;
  let preview: PipelineClient | undefined;
  return {
    main: () => (main ??= createPipelineClient()),
    preview: () => (preview ??= createPipelineClient()),
    terminate() {
      main?.terminate();
      preview?.terminate();
      main = preview = undefined;
    },
  };
}

type Boot = { status: 'loading' } | { status: 'ready'; config: AppConfig; models: ModelChoice[] } | { status: 'error'; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [source, setSource] = useState<DataSource>('demo');
  const [deaOk, setDeaOk] = useState<boolean | undefined>();
  const [aoi, setAoi] = useState<Aoi>({ lon: 30, lat: -17.8, radius_m: 2000 });
  const [settings, setSettings] = useState<RunSettings>({ year: 2022, model: 'croptype-demo', kernel: 5, trueColour: true, indices: true, monthly: false });
  const [layer, setLayer] = useState<LayerKind>('classes');
  const [month, setMonth] = useState(0);
  const [opacity, setOpacity] = useState(0.85);
  const [smoothed, setSmoothed] = useState(true);
  const [tapMode, setTapMode] = useState<'move' | 'inspect'>('move');
  const [inspect, setInspect] = useState<{ report?: PixelReport; lonLat: [number, number] } | undefined>();
  const [cards, setCards] = useState<Record<string, string>>({});
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [historyError, setHistoryError] = useState<string | undefined>();
  const [panelOpen, setPanelOpen] = useState(true);
  const [map, setMap] = useState<OlMap | undefined>();
  const historyRef = useRef<RunHistory | undefined>(undefined);
  const baseMap = useBaseMap();

  // Two Workers, started on first use: the 10 m run in one, the 80 m preview alongside in the other.
  const workers = useMemo(() => lazyWorkers(), []);
  const controller = useMemo(() => new RunController({
    main: { run: (input, options) => workers.main().run(input, options), baseline: (input, options) => workers.main().baseline(input, options) },
    cores: navigator.hardwareConcurrency,
    preview: { run: (input, options) => workers.preview().run(input, options) },
  }), [workers]);
  const state = useSyncExternalStore(controller.subscribe, controller.getState);

  const refreshHistory = useCallback(async () => {
    const h = historyRef.current;
    if (h) setRuns(await h.list());
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    const f = (url: string, init?: RequestInit) => fetch(url, init);
    void (async () => {
      try {
        const [config, models] = await Promise.all([loadAppConfig(f, abort.signal, localStorage), loadModels(f, abort.signal)]);
        if (abort.signal.aborted) return;
        setBoot({ status: 'ready', config, models });
        setAoi(demoPreset(config.demo.region));
        if (config.demo.seasons.length) setSettings((s) => ({ ...s, year: config.demo.seasons[0] }));
        const reachable = await deaReachable(f, config, navigator.onLine, abort.signal);
        if (!abort.signal.aborted) setDeaOk(reachable);
      } catch (err) {
        if (!abort.signal.aborted) setBoot({ status: 'error', message: (err as Error).message });
      }
    })();
    void openHistory().then((h) => {
      historyRef.current = h;
      return refreshHistory();
    }).catch((err: Error) => setHistoryError(`History is unavailable in this browser (${err.message}); runs will not be kept.`));
    return () => abort.abort();
  }, [refreshHistory]);

  // Warm the Workers (onnxruntime's wasm, the model) while the person chooses the area.
  useEffect(() => {
    if (boot.status !== 'ready') return;
    void workers.main().prepare(settings.model).catch(() => undefined);
    void workers.preview().prepare(settings.model).catch(() => undefined);
  }, [boot.status, settings.model, workers]);

  useEffect(() => () => workers.terminate(), [workers]);

  useEffect(() => {
    if (state.phase === 'done') void refreshHistory();
  }, [state.phase, state.saved, refreshHistory]);

  useEffect(() => {
    if (state.display) setTapMode('inspect');
  }, [state.display]);

  if (boot.status !== 'ready') {
    return (
      <div className="boot">
        <img src="/icon.svg" alt="" width={64} height={64} />
        <h1>GeoCrop</h1>
        {boot.status === 'loading' ? <p role="status">Loading…</p> : <p role="alert" className="field-error">{boot.message}</p>}
      </div>
    );
  }
  const { config, models } = boot;
  const demoRegion = source === 'demo' ? config.demo.region : undefined;
  const check = checkAoi(aoi, { maxRadiusM: config.maxRadiusM, demoRegion });
  const years = source === 'demo' ? config.demo.seasons : Array.from({ length: latestStartedSeason() - FIRST_SEASON_YEAR + 1 }, (_, i) => latestStartedSeason() - i);
  const model = models.find((m) => m.manifest.id === settings.model);
  const canRun = check.ok && Boolean(model) && !model?.unavailable && years.includes(settings.year);
  const why = !check.ok ? 'Fix the area first (see the message under it).' : !years.includes(settings.year) ? 'Choose a season this data source has.' : model?.unavailable ? `This model ${model.unavailable}.` : undefined;

  const request = (a: Aoi = aoi): JobRequestInput => ({
    aoi: a,
    year: settings.year,
    model: settings.model,
    smoothing_kernel: settings.kernel,
    outputs: { true_color: settings.trueColour, indices: settings.indices ? [...INDEX_OUTPUTS] : [], monthly: settings.monthly },
  });
  const start = (a: Aoi = aoi, src: DataSource = source) => {
    setInspect(undefined);
    setLayer('classes');
    void controller.start(request(a), { source: src, classes: model?.manifest.classes ?? [] });
  };
  const tryDemo = () => {
    const preset = demoPreset(config.demo.region);
    const year = config.demo.seasons[0] ?? settings.year;
    setSource('demo');
    setAoi(preset);
    setSettings((s) => ({ ...s, year, model: 'croptype-demo' }));
    setInspect(undefined);
    setLayer('classes');
    const demoModel = models.find((m) => m.manifest.id === 'croptype-demo');
    void controller.start({ ...request(preset), year, model: 'croptype-demo' }, { source: 'demo', classes: demoModel?.manifest.classes ?? [] });
  };
  const openRun = async (id: string) => {
    const stored = await historyRef.current?.get(id);
    const summary = runs.find((r) => r.id === id);
    if (!stored || !summary) return;
    setAoi(summary.request.aoi);
    setSource(summary.source);
    setSettings((s) => ({ ...s, year: summary.request.year, model: summary.modelId, kernel: summary.request.smoothing_kernel }));
    setInspect(undefined);
    setLayer('classes');
    controller.show(stored.display, stored.manifest, stored.files, summary);
  };
  const deleteRun = async (id: string) => {
    await historyRef.current?.delete(id);
    await refreshHistory();
  };
  const season = seasonWindow(state.request?.year ?? settings.year);
  // Before the preview, the map holds the baseline alone: draw that, whatever layer the person chose for results.
  const shownLayer: LayerKind = state.display?.stage === 'baseline' ? 'baseline' : layer;
  const caption = state.request ? `${seasonLabel(state.request.year ?? settings.year)} · lon ${aoi.lon.toFixed(4)}, lat ${aoi.lat.toFixed(4)}, r ${(aoi.radius_m / 1000).toFixed(1)} km · ${settings.model}` : '';

  return (
    <div className="app">
      <header className="topbar">
        <img src="/icon.svg" alt="" width={32} height={32} />
        <h1>GeoCrop</h1>
        <div className="chips" aria-live="polite">
          <span className="chip" data-testid="source-chip">
            {source === 'demo' ? (deaOk === false ? 'Demo world (Digital Earth Africa unreachable)' : 'Demo world') : 'Digital Earth Africa'}
          </span>
          {baseMap.status !== 'online' && <span className="chip warn" data-testid="basemap-chip">{baseMap.status === 'offline' ? 'Offline base map' : 'Offline base map (tiles unavailable)'}</span>}
        </div>
        <button type="button" className="demo" onClick={tryDemo} data-testid="try-demo">Try the demo</button>
        {/* Room for accounts (the server issue): disabled until the server offers sign-in. */}
        <button type="button" className="account" disabled title="Accounts are not available yet: everything runs in your browser." data-testid="sign-in">Sign in</button>
        <button type="button" className="panel-toggle" onClick={() => setPanelOpen(!panelOpen)} aria-expanded={panelOpen} aria-controls="panel">
          {panelOpen ? 'Hide panel' : 'Show panel'}
        </button>
      </header>
      <div className="body">
        <MapView base={baseMap.layers} aoi={aoi} aoiInvalid={!check.ok} onAoiChange={setAoi} region={demoRegion} display={state.display} layer={shownLayer} month={month} opacity={opacity}
          smoothed={smoothed} tapMode={tapMode} onInspect={(report, lonLat) => setInspect({ report, lonLat })} onMap={setMap} />
        <div className="map-tools" role="group" aria-label="What a tap on the map does">
          <button type="button" aria-pressed={tapMode === 'move'} onClick={() => setTapMode('move')}>Tap moves area</button>
          <button type="button" aria-pressed={tapMode === 'inspect'} disabled={!state.display} onClick={() => setTapMode('inspect')} data-testid="inspect-mode">Tap inspects pixel</button>
        </div>
        <MapStatus state={state} onCancel={() => controller.cancel()} />
        <aside id="panel" className="panel" data-open={panelOpen} aria-label="Controls">
          <section className="panel-section">
            <h2>Data</h2>
            <div className="segmented" role="radiogroup" aria-label="Data source">
              <label className="check"><input type="radio" name="source" checked={source === 'demo'} onChange={() => setSource('demo')} /> Demo world</label>
              <label className="check"><input type="radio" name="source" checked={source === 'online'} disabled={deaOk !== true} onChange={() => setSource('online')} /> Digital Earth Africa</label>
            </div>
            <p className="hint" data-testid="source-note">
              {deaOk === undefined ? 'Checking the connection to Digital Earth Africa…' : deaOk ? 'Digital Earth Africa is reachable.' : 'No connection to Digital Earth Africa: using the built-in demo world (synthetic Sentinel-2 scenes around Harare).'}
            </p>
          </section>
          <AreaPanel aoi={aoi} check={check} maxRadiusM={config.maxRadiusM} place={baseMap.provinceAt(aoi.lon, aoi.lat)} onChange={setAoi} />
          <RunPanel settings={settings} onSettings={setSettings} years={years} models={models} card={cards[settings.model]}
            onShowCard={(id) => void loadModelCard((u, i) => fetch(u, i), id).then((t) => setCards((c) => ({ ...c, [id]: t })), (e: Error) => setCards((c) => ({ ...c, [id]: e.message })))}
            canRun={canRun} why={why} state={state} onRun={() => start()} onCancel={() => controller.cancel()} />
          <OfflinePanel client={workers.main} request={request()} source={source} disabled={!canRun} />
          {inspect && <Inspector report={inspect.report} lonLat={inspect.lonLat} season={season} onClose={() => setInspect(undefined)} />}
          {state.display && (
            <ResultPanel display={state.display} files={state.files} jobId={state.manifest?.job_id} caption={caption} layer={shownLayer} onLayer={setLayer} month={month} onMonth={setMonth}
              opacity={opacity} onOpacity={setOpacity} smoothed={smoothed} onSmoothed={setSmoothed} map={map} />
          )}
          <HistoryPanel runs={runs} current={state.saved?.id} onOpen={(id) => void openRun(id)} onDelete={(id) => void deleteRun(id)} error={historyError} />
        </aside>
      </div>
    </div>
  );
}
