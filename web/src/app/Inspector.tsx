/** The pixel inspector: what the model said about the tapped pixel, and its NDVI through the season. */
import type { PixelReport } from './display-result';
import { NdviChart } from './NdviChart';

export function Inspector({ report, lonLat, season, onClose }: { report?: PixelReport; lonLat: [number, number]; season: { start: string; end: string }; onClose(): void }) {
  return (
    <section className="panel-section inspector" aria-label="Pixel inspector" data-testid="inspector">
      <div className="row spread">
        <h2>Pixel</h2>
        <button type="button" onClick={onClose} aria-label="Close the pixel inspector">×</button>
      </div>
      <p className="hint">lon {lonLat[0].toFixed(5)}, lat {lonLat[1].toFixed(5)}</p>
      {!report ? (
        <p>Outside the mapped circle: tap inside it.</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Class</dt>
            <dd data-testid="inspector-class">{report.className ?? 'no data (never seen clear)'}</dd>
            <dt>Confidence</dt>
            <dd>{report.confidence === undefined ? '–' : `${Math.round(report.confidence * 100)} %`}</dd>
            <dt>Baseline</dt>
            <dd>{report.baselineCrop === undefined ? 'unknown' : report.baselineCrop ? 'crop' : 'not crop'}</dd>
            <dt>NDVI peak</dt>
            <dd>{report.ndviPeak === undefined ? '–' : report.ndviPeak.toFixed(2)}</dd>
          </dl>
          {report.ndvi.length ? <NdviChart series={report.ndvi} seasonStart={season.start} seasonEnd={season.end} /> : <p>No clear observation of this pixel.</p>}
        </>
      )}
    </section>
  );
}
