/** A small dependency-free SVG line chart (several series, shared x axis), for live training curves and ROC curves. */
export type Series = { label: string; color: string; points: Array<[number, number]> };

type Props = {
  series: Series[];
  xLabel: string;
  yLabel: string;
  xDomain?: [number, number];
  yDomain?: [number, number];
  height?: number;
  testId?: string;
};

function extent(values: number[], fallback: [number, number]): [number, number] {
  if (values.length === 0) return fallback;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

export function LineChart({ series, xLabel, yLabel, xDomain, yDomain, height = 220, testId }: Props) {
  const width = 520;
  const pad = { left: 52, right: 12, top: 10, bottom: 38 };
  const all = series.flatMap((s) => s.points);
  const [x0, x1] = xDomain ?? extent(all.map((p) => p[0]), [0, 1]);
  const [y0, y1] = yDomain ?? extent(all.map((p) => p[1]), [0, 1]);
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
  const ticks = (lo: number, hi: number) => [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${yLabel} against ${xLabel}`}>
        <rect x={pad.left} y={pad.top} width={width - pad.left - pad.right} height={height - pad.top - pad.bottom} fill="#fff" stroke="#dfe3e8" />
        {ticks(y0, y1).map((t) => (
          <g key={`y${t}`}>
            <line x1={pad.left} x2={width - pad.right} y1={sy(t)} y2={sy(t)} stroke="#f0f2f4" />
            <text x={pad.left - 6} y={sy(t) + 4} textAnchor="end" fontSize="10" fill="#5b6470">
              {Math.abs(t) >= 100 ? t.toFixed(0) : t.toPrecision(3)}
            </text>
          </g>
        ))}
        {ticks(x0, x1).map((t) => (
          <text key={`x${t}`} x={sx(t)} y={height - pad.bottom + 14} textAnchor="middle" fontSize="10" fill="#5b6470">
            {Math.abs(t) >= 100 ? t.toFixed(0) : t.toPrecision(3)}
          </text>
        ))}
        <text x={(pad.left + width - pad.right) / 2} y={height - 6} textAnchor="middle" fontSize="11" fill="#1b1f24">
          {xLabel}
        </text>
        <text x={12} y={(pad.top + height - pad.bottom) / 2} textAnchor="middle" fontSize="11" fill="#1b1f24" transform={`rotate(-90 12 ${(pad.top + height - pad.bottom) / 2})`}>
          {yLabel}
        </text>
        {series.map((s) => (
          <polyline key={s.label} fill="none" stroke={s.color} strokeWidth="2" points={s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
      <figcaption className="small">
        {series.map((s) => (
          <span key={s.label} style={{ marginRight: '1rem' }}>
            <span style={{ color: s.color }}>■</span> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
