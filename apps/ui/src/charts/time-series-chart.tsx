import { ChartTable } from './chart-table.js';

export interface Series { key: string; label: string; color: string }
export interface Point { at: string; values: Record<string, number | null> }

interface Props {
  title: string;
  series: Series[];
  points: Point[];
  /** Stacked bars (counts) or lines (durations, ratios). */
  kind: 'stacked' | 'lines';
  format?(v: number): string;
  formatTime?(at: string): string;
}

const W = 640;
const H = 200;
const PAD = { left: 56, right: 8, top: 8, bottom: 22 };

/** Values over time buckets (plain SVG), with its table for screen readers. */
export function TimeSeriesChart({ title, series, points, kind, format = String, formatTime = (at) => new Date(at).toLocaleString() }: Props) {
  const totals = points.map((p) => (kind === 'stacked' ? series.reduce((s, x) => s + (p.values[x.key] ?? 0), 0) : Math.max(0, ...series.map((x) => p.values[x.key] ?? 0))));
  const max = Math.max(1e-9, ...totals);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = points.length ? innerW / points.length : innerW;
  const y = (v: number) => PAD.top + innerH - (innerH * v) / max;
  const ticks = [0, 0.5, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <figure className="chart" data-testid="time-series-chart" data-chart={title}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" aria-hidden="true">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--mantine-color-default-border)" />
            <text x={PAD.left - 4} y={y(t) + 4} textAnchor="end" className="chart-axis">{format(t)}</text>
          </g>
        ))}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={p.at} x={PAD.left + i * step + step / 2} y={H - 6} textAnchor="middle" className="chart-axis">{formatTime(p.at)}</text>
          ) : null,
        )}
        {kind === 'stacked'
          ? points.map((p, i) => {
              let base = 0;
              return series.map((s) => {
                const v = p.values[s.key] ?? 0;
                if (!v) return null;
                const top = y(base + v);
                const h = y(base) - top;
                base += v;
                return <rect key={`${p.at}-${s.key}`} x={PAD.left + i * step + step * 0.12} width={step * 0.76} y={top} height={h} fill={`var(--mantine-color-${s.color}-filled)`} data-series={s.key} />;
              });
            })
          : series.map((s) => {
              const coords = points.map((p, i) => (p.values[s.key] === null || p.values[s.key] === undefined ? null : `${PAD.left + i * step + step / 2},${y(p.values[s.key]!)}`));
              const d = coords.filter(Boolean).join(' ');
              return (
                <g key={s.key} data-series={s.key}>
                  <polyline points={d} fill="none" stroke={`var(--mantine-color-${s.color}-filled)`} strokeWidth={2} />
                  {coords.map((c, i) => c && <circle key={i} cx={c.split(',')[0]} cy={c.split(',')[1]} r={2.5} fill={`var(--mantine-color-${s.color}-filled)`} />)}
                </g>
              );
            })}
      </svg>
      <div className="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: `var(--mantine-color-${s.color}-filled)` }} /> {s.label}
          </span>
        ))}
      </div>
      <ChartTable
        caption={title}
        columns={['Time', ...series.map((s) => s.label)]}
        rows={points.map((p) => [formatTime(p.at), ...series.map((s) => (p.values[s.key] === null || p.values[s.key] === undefined ? '—' : format(p.values[s.key]!)))])}
      />
    </figure>
  );
}
