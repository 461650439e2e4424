/** The result: which layer, its opacity, the legend with hectares per class, and the downloads. */
import { useEffect, useId, useMemo, useState } from 'react';
import type OlMap from 'ol/Map';
import { formatBytes } from '../../../shared/text/format-bytes';
import { CONFIDENCE_RAMP, INDEX_RAMP, rampGradient } from './colour-ramp';
import { availableLayers, BASELINE_COLOURS, classAreas, type DisplayResult, type LayerKind } from './display-result';
import { mapPng } from './map-png';

export interface ResultPanelProps {
  display: DisplayResult;
  /** Files of the finished run (absent while only the preview is shown). */
  files?: Record<string, Uint8Array>;
  jobId?: string;
  caption: string;
  layer: LayerKind;
  onLayer(kind: LayerKind): void;
  month: number;
  onMonth(m: number): void;
  opacity: number;
  onOpacity(o: number): void;
  smoothed: boolean;
  onSmoothed(s: boolean): void;
  map?: OlMap;
}

const TYPES: Record<string, string> = { tif: 'image/tiff', json: 'application/json' };

export function ResultPanel(p: ResultPanelProps) {
  const id = useId();
  const { display } = p;
  const layers = availableLayers(display);
  const areas = useMemo(() => classAreas(display, p.smoothed), [display, p.smoothed]);
  const total = areas.reduce((s, a) => s + a.hectares, 0);
  const preview = display.resolution > 10;
  return (
    <section aria-labelledby={`${id}-h`} className="panel-section" data-testid="result">
      <h2 id={`${id}-h`}>{display.stage === 'baseline' ? 'Baseline crop mask (while the preview computes)' : preview ? `Preview (${display.resolution} m)` : 'Result (10 m)'}</h2>
      <label className="block">
        Layer
        <select value={p.layer} onChange={(e) => p.onLayer(e.target.value as LayerKind)} data-testid="layer">
          {layers.map((l) => <option key={l.kind} value={l.kind}>{l.label}</option>)}
        </select>
      </label>
      {p.layer === 'monthly' && display.monthly && (
        <label className="block">
          Month: <strong>{display.monthly[p.month]?.month}</strong>
          <input type="range" min={0} max={display.monthly.length - 1} step={1} value={p.month} onChange={(e) => p.onMonth(Number(e.target.value))} />
        </label>
      )}
      <label className="block">
        Opacity {Math.round(p.opacity * 100)} %
        <input type="range" min={0} max={1} step={0.05} value={p.opacity} onChange={(e) => p.onOpacity(Number(e.target.value))} />
      </label>
      {p.layer === 'classes' && (
        <label className="check">
          <input type="checkbox" checked={p.smoothed} onChange={(e) => p.onSmoothed(e.target.checked)} /> Smoothed (majority filter)
        </label>
      )}
      <Legend kind={p.layer} areas={areas} total={total} />
      <Downloads {...p} />
    </section>
  );
}

function Legend({ kind, areas, total }: { kind: LayerKind; areas: ReturnType<typeof classAreas>; total: number }) {
  if (kind === 'classes') {
    return (
      <table className="legend" data-testid="legend">
        <caption>Area per class (inside the circle)</caption>
        <tbody>
          {areas.map((a) => (
            <tr key={a.code} className={a.pixels ? undefined : 'empty'}>
              <td><span className="swatch" style={{ background: a.colour }} aria-hidden="true" /> {a.name}</td>
              <td className="num">{a.hectares.toFixed(1)} ha</td>
              <td className="num">{total ? Math.round((a.hectares / total) * 100) : 0} %</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (kind === 'baseline') {
    return (
      <ul className="legend-list">
        <li><span className="swatch" style={{ background: `rgb(${BASELINE_COLOURS.crop.join(' ')})` }} /> Crop (DE Africa crop mask)</li>
        <li><span className="swatch" style={{ background: `rgb(${BASELINE_COLOURS.notCrop.join(' ')})` }} /> Not crop</li>
      </ul>
    );
  }
  const ramp = kind === 'confidence' ? CONFIDENCE_RAMP : kind.endsWith('_peak') ? INDEX_RAMP : undefined;
  if (!ramp) return null;
  return (
    <div className="ramp">
      <div className="ramp-bar" style={{ background: rampGradient(ramp) }} />
      <div className="ramp-labels"><span>{ramp.stops[0].value}</span><span>{ramp.label}</span><span>{ramp.stops[ramp.stops.length - 1].value}</span></div>
    </div>
  );
}

function Downloads(p: ResultPanelProps) {
  const [png, setPng] = useState<string | undefined>();
  const urls = useMemo(() => Object.entries(p.files ?? {}).map(([name, bytes]) => {
    const ext = name.split('.').pop() ?? '';
    return { name, size: bytes.byteLength, url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: TYPES[ext] ?? 'application/octet-stream' })) };
  }), [p.files]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u.url)), [urls]);
  const makePng = async () => {
    if (!p.map) return;
    const blob = await mapPng(p.map, { title: 'GeoCrop crop map', caption: p.caption, rows: classAreas(p.display, p.smoothed) });
    if (png) URL.revokeObjectURL(png);
    setPng(URL.createObjectURL(blob));
  };
  if (!p.files) return <p className="hint">Downloads appear when the 10 m result is ready.</p>;
  const stem = p.jobId ? `geocrop-${p.jobId}` : 'geocrop';
  return (
    <div className="downloads">
      <h3>Download</h3>
      <ul data-testid="downloads">
        {urls.map((u) => (
          <li key={u.name}><a href={u.url} download={`${stem}-${u.name}`}>{u.name}</a> <span className="hint">{formatBytes(u.size)}</span></li>
        ))}
      </ul>
      <button type="button" onClick={() => void makePng()} disabled={!p.map}>Map as PNG</button>
      {png && <a href={png} download={`${stem}-map.png`} className="png-link" data-testid="png-link">Save the PNG</a>}
    </div>
  );
}
