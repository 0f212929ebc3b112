import { graphlib, layout } from '@dagrejs/dagre';
import type { FlowGraph, GraphEdge, GraphGroup, GraphNode } from './flow-graph-model.js';

export interface Box { x: number; y: number; width: number; height: number }
export interface PlacedNode extends GraphNode, Box {}
export interface PlacedGroup extends GraphGroup, Box { depth: number }
export interface PlacedEdge extends GraphEdge { points: Array<{ x: number; y: number }>; labelAt?: { x: number; y: number } }
export interface FlowLayout { nodes: PlacedNode[]; groups: PlacedGroup[]; edges: PlacedEdge[]; width: number; height: number }

const NODE = { width: 168, height: 52 };
const SMALL = { width: 56, height: 28 };
const LABEL = 16;

/** Places the graph with dagre (compound: groups hold their children), top to bottom. */
export function layoutFlowGraph(graph: FlowGraph): FlowLayout {
  const g = new graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 44, edgesep: 12, marginx: 12, marginy: 12 + LABEL });
  g.setDefaultEdgeLabel(() => ({}));
  for (const group of graph.groups) g.setNode(group.id, { label: group.label, paddingTop: 28, paddingBottom: 10, paddingLeft: 10, paddingRight: 10 });
  for (const group of graph.groups) if (group.parent) g.setParent(group.id, group.parent);
  for (const node of graph.nodes) {
    g.setNode(node.id, { ...(node.kind === 'start' || node.kind === 'end' ? SMALL : NODE) });
    if (node.parent) g.setParent(node.id, node.parent);
  }
  graph.edges.forEach((edge, i) => g.setEdge(edge.from, edge.to, edge.label ? { label: edge.label, width: edge.label.length * 7, height: 14 } : {}, String(i)));
  layout(g);

  const box = (id: string): Box => {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  };
  const depthOf = (group: GraphGroup): number => {
    let depth = 0;
    let parent = group.parent;
    while (parent) {
      depth++;
      parent = graph.groups.find((x) => x.id === parent)?.parent;
    }
    return depth;
  };
  const label = g.graph() as { width?: number; height?: number };
  return {
    nodes: graph.nodes.map((n) => ({ ...n, ...box(n.id) })),
    // dagre keeps no room for a cluster's label: each group grows upwards by a label's height.
    groups: graph.groups
      .map((gr) => {
        const b = box(gr.id);
        return { ...gr, ...b, y: b.y - LABEL, height: b.height + LABEL, depth: depthOf(gr) };
      })
      .sort((a, b) => a.depth - b.depth),
    edges: graph.edges.map((e, i) => {
      const placed = g.edge({ v: e.from, w: e.to, name: String(i) }) as { points?: Array<{ x: number; y: number }>; x?: number; y?: number };
      return { ...e, points: placed?.points ?? [], ...(e.label && placed?.x !== undefined ? { labelAt: { x: placed.x, y: placed.y ?? 0 } } : {}) };
    }),
    width: label.width ?? 0,
    height: label.height ?? 0,
  };
}
