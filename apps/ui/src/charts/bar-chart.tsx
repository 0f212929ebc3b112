import { ChartTable } from './chart-table.js';

export interface Bar { label: string; value: number; color?: string }

/** Horizontal bars (plain SVG), one per row, with its table for screen readers. */
export function BarChart({ title, bars, format = String, unit = 'value' }: { title: string; bars: Bar[]; format?(v: number): string; unit?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 26;
  const labelWidth = 150;
  const width = 520;
  return (
    <figure className="chart" data-testid="bar-chart" data-chart={title}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${bars.length * row + 4}`} width="100%" aria-hidden="true" preserveAspectRatio="xMinYMin meet">
        {bars.map((b, i) => {
          const w = ((width - labelWidth - 80) * b.value) / max;
          return (
            <g key={b.label + i} transform={`translate(0 ${i * row})`}>
              <text x={labelWidth - 6} y={17} textAnchor="end" className="chart-axis">{b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label}</text>
              <rect x={labelWidth} y={5} width={Math.max(w, 2)} height={16} rx={3} fill={b.color ? `var(--mantine-color-${b.color}-filled)` : 'var(--mantine-primary-color-filled)'} />
              <text x={labelWidth + Math.max(w, 2) + 6} y={17} className="chart-axis">{format(b.value)}</text>
            </g>
          );
        })}
      </svg>
      <ChartTable caption={title} columns={['', unit]} rows={bars.map((b) => [b.label, format(b.value)])} />
    </figure>
  );
}
