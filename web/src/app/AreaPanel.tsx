/** The area controls: centre as text, radius slider, "use my location", and the reason an area cannot run. */
import { useEffect, useId, useState } from 'react';
import type { Aoi } from '../../../shared/contract/aoi';
import { MIN_RADIUS_M } from '../../../shared/contract/aoi';
import { formatCoordinate, parseCoordinate, type AoiCheck } from './aoi-form';

export interface AreaPanelProps {
  aoi: Aoi;
  check: AoiCheck;
  maxRadiusM: number;
  /** Province the centre is in, when known. */
  place?: string;
  onChange(aoi: Aoi): void;
}

export function AreaPanel({ aoi, check, maxRadiusM, place, onChange }: AreaPanelProps) {
  const id = useId();
  const [lonText, setLonText] = useState(formatCoordinate(aoi.lon));
  const [latText, setLatText] = useState(formatCoordinate(aoi.lat));
  const [typing, setTyping] = useState<string | undefined>();
  const [locating, setLocating] = useState<string | undefined>();
  // The map moves the centre too: show its value unless the person is typing.
  useEffect(() => {
    setLonText(formatCoordinate(aoi.lon));
    setLatText(formatCoordinate(aoi.lat));
  }, [aoi.lon, aoi.lat]);

  const commit = (lon: string, lat: string) => {
    const x = parseCoordinate(lon);
    const y = parseCoordinate(lat);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      setTyping(`Type decimal degrees, e.g. longitude 30.02 and latitude -17.80 (or 17.80 S).`);
      return;
    }
    setTyping(undefined);
    onChange({ ...aoi, lon: x, lat: y });
  };
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocating('This browser cannot tell its location; type the coordinates or tap the map.');
      return;
    }
    setLocating('Finding your location…');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(`Located within ${Math.round(p.coords.accuracy)} m.`);
        onChange({ ...aoi, lon: Math.round(p.coords.longitude * 1e5) / 1e5, lat: Math.round(p.coords.latitude * 1e5) / 1e5 });
      },
      (e) => setLocating(e.code === e.PERMISSION_DENIED ? 'Location permission was refused; allow it in the browser settings, or tap the map.' : `No location (${e.message}); tap the map or type coordinates.`),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  const centreError = !check.ok && check.field === 'centre' ? check.message : typing;
  const radiusError = !check.ok && check.field === 'radius' ? check.message : undefined;

  return (
    <section aria-labelledby={`${id}-h`} className="panel-section">
      <h2 id={`${id}-h`}>Area</h2>
      <p className="hint">Tap the map to place the circle; drag the white handle to resize it.</p>
      <div className="row">
        <label>
          Longitude
          <input inputMode="decimal" value={lonText} aria-invalid={Boolean(centreError)} aria-describedby={`${id}-centre`}
            onChange={(e) => setLonText(e.target.value)} onBlur={() => commit(lonText, latText)} onKeyDown={(e) => e.key === 'Enter' && commit(lonText, latText)} data-testid="lon" />
        </label>
        <label>
          Latitude
          <input inputMode="decimal" value={latText} aria-invalid={Boolean(centreError)} aria-describedby={`${id}-centre`}
            onChange={(e) => setLatText(e.target.value)} onBlur={() => commit(lonText, latText)} onKeyDown={(e) => e.key === 'Enter' && commit(lonText, latText)} data-testid="lat" />
        </label>
      </div>
      <p id={`${id}-centre`} className={centreError ? 'field-error' : 'hint'} role={centreError ? 'alert' : undefined} data-testid="centre-message">
        {centreError ?? (place ? `Centre in ${place} province.` : '')}
      </p>
      <label className="block">
        Radius: <strong>{(aoi.radius_m / 1000).toFixed(2)} km</strong>
        <input type="range" min={MIN_RADIUS_M} max={maxRadiusM} step={50} value={Math.min(aoi.radius_m, maxRadiusM)} aria-invalid={Boolean(radiusError)} aria-describedby={`${id}-radius`}
          onChange={(e) => onChange({ ...aoi, radius_m: Number(e.target.value) })} data-testid="radius" />
      </label>
      <p id={`${id}-radius`} className={radiusError ? 'field-error' : 'hint'} role={radiusError ? 'alert' : undefined} data-testid="radius-message">
        {radiusError ?? `Up to ${maxRadiusM / 1000} km in the browser.`}
      </p>
      <button type="button" onClick={locate}>Use my location</button>
      {locating && <p className="hint" role="status">{locating}</p>}
    </section>
  );
}
