import { useState, type KeyboardEvent } from 'react';
import { stateColor } from '../components/state-colors.js';
import type { FlowLayout, PlacedEdge, PlacedGroup, PlacedNode } from './flow-graph-layout.js';
import type { NodeRun } from './run-overlay.js';

interface Props {
  layout: FlowLayout;
  runs?: ReadonlyMap<string, NodeRun>;
  selected?: string | null;
  onSelect?(taskId: string): void;
  label: string;
}

const LANE_COLOR: Record<PlacedGroup['kind'], string> = {
  flowable: 'var(--mantine-color-default-border)',
  errors: 'var(--mantine-color-red-5)',
  finally: 'var(--mantine-color-gray-5)',
};

const path = (points: PlacedEdge['points']) => points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The laid-out flow as SVG; with `runs`, each task coloured by its task runs' state. */
export function FlowGraphView({ layout, runs, selected, onSelect, label }: Props) {
  // Fit: as wide as the page at most (scaled down); actual size: scroll around it.
  const [fit, setFit] = useState(true);
  const nodeText = (n: PlacedNode, run?: NodeRun) => {
    const facts = [n.type ?? n.label];
    if (run) facts.push(run.state);
    if (run && run.iterations > 1) facts.push(`${run.iterations} iterations`);
    else if (run && run.runs > 1) facts.push(`${run.runs} runs`);
    if (run && run.attempts > 1) facts.push(`${run.attempts} attempts`);
    if (run?.current) facts.push('current');
    return `${n.label}: ${facts.join(', ')}`;
  };
  const key = (taskId: string) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') (e.preventDefault(), onSelect?.(taskId));
  };

  return (
    <div className={`flow-graph${fit ? ' is-fit' : ''}`} data-testid="flow-graph">
      <button type="button" className="flow-graph-zoom" onClick={() => setFit((f) => !f)} aria-pressed={!fit}>
        {fit ? 'Actual size' : 'Fit'}
      </button>
      <svg width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={label}>
        <defs>
          <marker id="flow-graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="var(--mantine-color-dimmed)" />
          </marker>
        </defs>
        {layout.groups.map((g) => (
          <g key={g.id} data-group={g.id} data-kind={g.kind}>
            <rect x={g.x} y={g.y} width={g.width} height={g.height} rx={8} fill={g.kind === 'flowable' ? 'var(--mantine-color-default-hover)' : 'none'} fillOpacity={0.5} stroke={LANE_COLOR[g.kind]} strokeDasharray={g.kind === 'flowable' ? undefined : '6 4'} />
            <text x={g.x + 8} y={g.y + 17} className="flow-graph-group-label" fill={g.kind === 'errors' ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-dimmed)'}>
              {clip(g.label, Math.floor(g.width / 7))}
            </text>
          </g>
        ))}
        {layout.edges.map((e, i) => (
          <g key={i} data-edge={`${e.from}->${e.to}`}>
            <path d={path(e.points)} fill="none" stroke="var(--mantine-color-dimmed)" strokeWidth={1.3} strokeDasharray={e.dashed ? '5 4' : undefined} markerEnd="url(#flow-graph-arrow)" />
            {e.label && e.labelAt && (
              <text x={e.labelAt.x} y={e.labelAt.y + 4} textAnchor="middle" className="flow-graph-edge-label" data-edge-label={e.label}>
                {e.label}
              </text>
            )}
          </g>
        ))}
        {layout.nodes.map((n) => {
          if (n.kind === 'start' || n.kind === 'end') {
            return (
              <g key={n.id} data-node={n.id}>
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={n.height / 2} fill="var(--mantine-color-default)" stroke="var(--mantine-color-default-border)" />
                <text x={n.x + n.width / 2} y={n.y + n.height / 2 + 4} textAnchor="middle" className="flow-graph-small">{n.label}</text>
              </g>
            );
          }
          const run = n.taskId ? runs?.get(n.taskId) : undefined;
          const color = run ? stateColor(run.state) : undefined;
          const badges = [
            n.mark === 'loop' ? '↻ loop' : n.kind === 'subflow' ? `↗ ${n.mark ?? 'subflow'}` : n.type ?? '',
            run && run.iterations > 1 ? `×${run.iterations}` : run && run.runs > 1 ? `×${run.runs}` : '',
            run && run.attempts > 1 ? `attempt ${run.attempts}` : '',
          ].filter(Boolean).join(' · ');
          return (
            <g
              key={n.id}
              data-node={n.id}
              data-task={n.taskId}
              data-state={run?.state}
              data-current={run?.current ? 'true' : undefined}
              className={`flow-graph-node${run?.current ? ' is-current' : ''}${selected === n.taskId ? ' is-selected' : ''}`}
              role={onSelect ? 'button' : 'img'}
              tabIndex={onSelect ? 0 : undefined}
              aria-label={nodeText(n, run)}
              onClick={onSelect && n.taskId ? () => onSelect(n.taskId!) : undefined}
              onKeyDown={onSelect && n.taskId ? key(n.taskId) : undefined}
            >
              <rect
                x={n.x}
                y={n.y}
                width={n.width}
                height={n.height}
                rx={6}
                fill={color ? `var(--mantine-color-${color}-light)` : 'var(--mantine-color-body)'}
                stroke={color ? `var(--mantine-color-${color}-filled)` : n.kind === 'flowable' ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-default-border)'}
                strokeWidth={run?.current || selected === n.taskId ? 3 : 1.5}
                strokeDasharray={n.kind === 'subflow' ? '4 2' : undefined}
              />
              <text x={n.x + 10} y={n.y + 21} className="flow-graph-label">{clip(n.label, 20)}</text>
              <text x={n.x + 10} y={n.y + 39} className="flow-graph-small">{clip(badges, 26)}</text>
              {run && <circle cx={n.x + n.width - 12} cy={n.y + 12} r={5} fill={`var(--mantine-color-${color}-filled)`} />}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
