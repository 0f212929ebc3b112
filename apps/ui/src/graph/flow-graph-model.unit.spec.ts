import { describe, expect, it } from 'vitest';
import { buildFlowGraph } from './flow-graph-model.js';
import { layoutFlowGraph } from './flow-graph-layout.js';
import { parseFlowSource } from './flow-source.js';

const FLOW = `id: shapes
namespace: t
tasks:
  - id: fan
    type: Parallel
    tasks:
      - { id: a, type: Log, message: a }
      - { id: b, type: Log, message: b }
  - id: check
    type: If
    condition: "{{ true }}"
    then: [{ id: yes, type: Log, message: y }]
    else: [{ id: no, type: Log, message: n }]
  - id: loop
    type: ForEach
    values: [1, 2]
    tasks: [{ id: item, type: Log, message: i }]
  - { id: child, type: io.kestra.plugin.core.flow.Subflow, namespace: t, flowId: other }
errors:
  - { id: alert, type: Log, message: failed }
finally:
  - { id: cleanup, type: Log, message: bye }
`;

describe('flow graph', () => {
  const { flow } = parseFlowSource(FLOW);
  const graph = buildFlowGraph(flow!);

  it('draws every task as a node and every flowable as a group', () => {
    expect(graph.nodes.map((n) => n.taskId).filter(Boolean).sort()).toEqual(['a', 'alert', 'b', 'check', 'child', 'cleanup', 'fan', 'item', 'loop', 'no', 'yes'].sort());
    expect(graph.groups.map((g) => [g.id, g.kind])).toEqual([
      ['group:fan', 'flowable'], ['group:check', 'flowable'], ['group:loop', 'flowable'], ['lane:flow:errors', 'errors'], ['lane:flow:finally', 'finally'],
    ]);
    expect(graph.nodes.find((n) => n.taskId === 'a')?.parent).toBe('group:fan');
    expect(graph.nodes.find((n) => n.taskId === 'child')).toMatchObject({ kind: 'subflow', mark: 'subflow t.other', type: 'Subflow' });
    expect(graph.nodes.find((n) => n.taskId === 'loop')?.mark).toBe('loop');
  });

  it('labels If branches, runs Parallel children side by side and joins them on the next task', () => {
    expect(graph.edges).toContainEqual({ from: 'task:check', to: 'task:yes', label: 'then' });
    expect(graph.edges).toContainEqual({ from: 'task:check', to: 'task:no', label: 'else' });
    expect(graph.edges).toContainEqual({ from: 'task:a', to: 'task:check' });
    expect(graph.edges).toContainEqual({ from: 'task:b', to: 'task:check' });
    expect(graph.edges).toContainEqual({ from: 'task:alert', to: 'task:cleanup', label: 'finally', dashed: true });
    expect(graph.edges).toContainEqual({ from: 'task:cleanup', to: 'end' });
  });

  it('lays Parallel children out side by side, inside their group', () => {
    const placed = layoutFlowGraph(graph);
    const a = placed.nodes.find((n) => n.taskId === 'a')!;
    const b = placed.nodes.find((n) => n.taskId === 'b')!;
    const fan = placed.groups.find((g) => g.id === 'group:fan')!;
    expect(a.y).toBe(b.y);
    expect(a.x).not.toBe(b.x);
    for (const n of [a, b]) {
      expect(n.x).toBeGreaterThanOrEqual(fan.x);
      expect(n.x + n.width).toBeLessThanOrEqual(fan.x + fan.width);
    }
    expect(placed.width).toBeGreaterThan(0);
  });

  it('reports YAML errors with their line instead of a graph', () => {
    const { flow: none, problems } = parseFlowSource('id: x\ntasks:\n  - id: a\n   type: [');
    expect(none).toBeUndefined();
    expect(problems[0]?.line).toBeGreaterThan(0);
    // The line is given apart: the message does not repeat it.
    expect(problems[0]?.message).not.toMatch(/at line/);
  });
});

describe('flow graph of Switch and nested lanes', () => {
  it('labels each case and the defaults, and gives a flowable its own errors lane', () => {
    const { flow } = parseFlowSource(`id: s
namespace: t
tasks:
  - id: route
    type: Switch
    value: "{{ inputs.kind }}"
    cases:
      small: [{ id: s1, type: Log, message: s }]
      large: [{ id: l1, type: Log, message: l }]
    defaults: [{ id: d1, type: Log, message: d }]
  - id: block
    type: Sequential
    tasks: [{ id: inner, type: Log, message: i }]
    errors: [{ id: recover, type: Log, message: r }]
`);
    const graph = buildFlowGraph(flow!);
    expect(graph.edges.filter((e) => e.from === 'task:route').map((e) => e.label)).toEqual(['small', 'large', 'defaults']);
    expect(graph.groups.find((g) => g.id === 'lane:block:errors')).toMatchObject({ kind: 'errors', parent: 'group:block' });
    expect(graph.nodes.find((n) => n.taskId === 'recover')?.parent).toBe('lane:block:errors');
    // Every case joins on the next task.
    for (const from of ['task:s1', 'task:l1', 'task:d1']) expect(graph.edges).toContainEqual({ from, to: 'task:block' });
  });
});
