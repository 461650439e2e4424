/** A small SVG line chart of one pixel's NDVI through the season (dates on x, NDVI −0.2…1 on y). */
export function NdviChart({ series, seasonStart, seasonEnd }: { series: { date: string; value: number }[]; seasonStart: string; seasonEnd: string }) {
  const w = 300;
  const h = 120;
  const pad = { l: 30, r: 8, t: 8, b: 20 };
  const t0 = Date.parse(seasonStart);
  const t1 = Date.parse(seasonEnd);
  const x = (d: string) => pad.l + ((Date.parse(d) - t0) / (t1 - t0)) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + ((1 - v) / 1.2) * (h - pad.t - pad.b);
  const path = series.map((p, i) => `${i ? 'L' : 'M'}${x(p.date).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const y0 = Number(seasonStart.slice(0, 4));
  const months = [['Sep', `${y0}-09-01`], ['Nov', `${y0}-11-01`], ['Jan', `${y0 + 1}-01-01`], ['Mar', `${y0 + 1}-03-01`], ['May', `${y0 + 1}-05-01`]];
  return (
    <svg viewBox={`0 0 ${w} ${h}`} className="chart" role="img" aria-label={`NDVI of this pixel on ${series.length} clear dates`}>
      {[0, 0.5, 1].map((v) => (
        <g key={v}>
          <line x1={pad.l} x2={w - pad.r} y1={y(v)} y2={y(v)} className="grid" />
          <text x={pad.l - 4} y={y(v) + 4} textAnchor="end">{v}</text>
        </g>
      ))}
      {months.map(([m, d]) => (
        <text key={m} x={x(d)} y={h - 4} textAnchor="start">{m}</text>
      ))}
      <path d={path} className="line" />
      {series.map((p) => <circle key={p.date} cx={x(p.date)} cy={y(p.value)} r={2.5} className="dot"><title>{`${p.date}: ${p.value.toFixed(2)}`}</title></circle>)}
    </svg>
  );
}
