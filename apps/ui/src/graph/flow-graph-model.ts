/**
 * A flow's tasks as a graph to draw: every task a node, every flowable a group holding its
 * children (Parallel side by side, If/Switch branches labelled on their edges, ForEach and
 * Subflow marked), `errors` and `finally` as lanes of their own. Pure: no layout, no React.
 */
export type NodeKind = 'task' | 'flowable' | 'subflow' | 'start' | 'end';
export type GroupKind = 'flowable' | 'errors' | 'finally';

export interface GraphNode {
  readonly id: string;
  /** The task id (absent for start/end). */
  readonly taskId?: string;
  readonly label: string;
  /** The short type name (`io.kestra.plugin.core.flow.Parallel` → `Parallel`). */
  readonly type?: string;
  readonly kind: NodeKind;
  readonly parent?: string;
  /** A mark for loops and subflows: `loop` (ForEach…), `subflow` (namespace.flowId). */
  readonly mark?: string;
}

export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  readonly kind: GroupKind;
  readonly parent?: string;
  readonly taskId?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dashed?: boolean;
}

export interface FlowGraph {
  readonly nodes: GraphNode[];
  readonly groups: GraphGroup[];
  readonly edges: GraphEdge[];
}

type Raw = Record<string, unknown>;

const LOOPS = new Set(['ForEach', 'EachSequential', 'EachParallel', 'LoopUntil', 'ForEachItem']);
const SUBFLOWS = new Set(['Subflow', 'Flow', 'ForEachItem']);

export const shortType = (type: unknown): string => (typeof type === 'string' ? (type.split('.').pop() ?? type) : '?');

const taskList = (value: unknown): Raw[] =>
  Array.isArray(value) ? value.filter((t): t is Raw => !!t && typeof t === 'object' && !Array.isArray(t)) : [];

/** Where a piece of graph starts and ends: the leaf nodes edges attach to. */
interface Ends {
  readonly entries: string[];
  readonly exits: string[];
}

class Builder {
  readonly nodes: GraphNode[] = [];
  readonly groups: GraphGroup[] = [];
  readonly edges: GraphEdge[] = [];
  private seq = 0;

  private link(from: readonly string[], to: readonly string[], label?: string, dashed?: boolean) {
    for (const f of from) for (const t of to) this.edges.push({ from: f, to: t, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
  }

  /** Tasks one after another; answers the first entries and the last exits. */
  sequence(tasks: Raw[], parent?: string): Ends {
    let first: string[] | undefined;
    let previous: string[] = [];
    for (const task of tasks) {
      const ends = this.task(task, parent);
      first ??= ends.entries;
      this.link(previous, ends.entries);
      previous = ends.exits;
    }
    return { entries: first ?? [], exits: previous };
  }

  /** A flowable's or the flow's `errors` and `finally` lanes, after the body they guard. */
  lanes(owner: Raw, body: Ends, parent: string | undefined, prefix: string): Ends {
    let exits = body.exits;
    const errors = taskList(owner.errors);
    if (errors.length) {
      const lane = `lane:${prefix}:errors`;
      this.groups.push({ id: lane, label: 'errors', kind: 'errors', ...(parent ? { parent } : {}) });
      const ends = this.sequence(errors, lane);
      // Errors run when the body fails: a dashed edge from where the body starts.
      this.link(body.entries.slice(0, 1), ends.entries, 'on failure', true);
      exits = [...exits, ...ends.exits];
    }
    const fin = taskList(owner.finally);
    if (fin.length) {
      const lane = `lane:${prefix}:finally`;
      this.groups.push({ id: lane, label: 'finally', kind: 'finally', ...(parent ? { parent } : {}) });
      const ends = this.sequence(fin, lane);
      this.link(exits, ends.entries, 'finally', true);
      exits = ends.exits;
    }
    return { entries: body.entries, exits };
  }

  task(task: Raw, parent?: string): Ends {
    const taskId = typeof task.id === 'string' ? task.id : `task-${++this.seq}`;
    const type = shortType(task.type);
    const branches = this.branches(task, type);
    const loop = LOOPS.has(type) ? 'loop' : undefined;
    if (SUBFLOWS.has(type) && branches.length === 0) {
      const target = [task.namespace, task.flowId].filter((p) => typeof p === 'string').join('.');
      const id = `task:${taskId}`;
      this.nodes.push({ id, taskId, label: taskId, type, kind: 'subflow', mark: target ? `subflow ${target}` : 'subflow', ...(parent ? { parent } : {}) });
      return { entries: [id], exits: [id] };
    }
    if (branches.length === 0) {
      const id = `task:${taskId}`;
      this.nodes.push({ id, taskId, label: taskId, type, kind: 'task', ...(parent ? { parent } : {}) });
      return { entries: [id], exits: [id] };
    }
    // A flowable: a group holding its head node and its branches.
    const group = `group:${taskId}`;
    this.groups.push({ id: group, label: `${taskId} · ${type}`, kind: 'flowable', taskId, ...(parent ? { parent } : {}) });
    const head = `task:${taskId}`;
    this.nodes.push({ id: head, taskId, label: taskId, type, kind: 'flowable', parent: group, ...(loop ? { mark: 'loop' } : {}) });
    const exits: string[] = [];
    for (const branch of branches) {
      if (branch.tasks.length === 0) {
        exits.push(head);
        continue;
      }
      if (branch.parallel) {
        for (const child of branch.tasks) {
          const ends = this.task(child, group);
          this.link([head], ends.entries, branch.label);
          exits.push(...ends.exits);
        }
      } else {
        const ends = this.sequence(branch.tasks, group);
        this.link([head], ends.entries, branch.label);
        exits.push(...ends.exits);
      }
    }
    return this.lanes(task, { entries: [head], exits: [...new Set(exits)] }, group, taskId);
  }

  /** The child task lists of a flowable, each with the label its edge carries. */
  private branches(task: Raw, type: string): Array<{ label?: string; tasks: Raw[]; parallel?: boolean }> {
    if (type === 'If') {
      const out: Array<{ label?: string; tasks: Raw[] }> = [{ label: 'then', tasks: taskList(task.then) }];
      if (task.else !== undefined) out.push({ label: 'else', tasks: taskList(task.else) });
      return out;
    }
    if (type === 'Switch') {
      const cases = task.cases && typeof task.cases === 'object' ? Object.entries(task.cases as Record<string, unknown>) : [];
      const out = cases.map(([key, tasks]) => ({ label: key, tasks: taskList(tasks) }));
      if (task.defaults !== undefined) out.push({ label: 'defaults', tasks: taskList(task.defaults) });
      return out;
    }
    if (type === 'Dag') {
      // Dag: each entry is { task, dependsOn }; drawn side by side (dependencies as edges need ids).
      const out = taskList(task.tasks).map((t) => (t.task && typeof t.task === 'object' ? (t.task as Raw) : t));
      return out.length ? [{ tasks: out, parallel: true }] : [];
    }
    const children = taskList(task.tasks);
    if (children.length === 0) return [];
    const parallel = type === 'Parallel' || type === 'EachParallel';
    return [{ tasks: children, parallel, ...(LOOPS.has(type) ? { label: 'each' } : {}) }];
  }

  done(): FlowGraph {
    return { nodes: this.nodes, groups: this.groups, edges: this.edges };
  }
}

/** The graph of a flow definition (as parsed from its YAML). */
export function buildFlowGraph(flow: { tasks?: unknown; errors?: unknown; finally?: unknown }): FlowGraph {
  const b = new Builder();
  const body = b.sequence(taskList(flow.tasks));
  const whole = b.lanes(flow as Raw, body, undefined, 'flow');
  b.nodes.unshift({ id: 'start', label: 'start', kind: 'start' });
  b.nodes.push({ id: 'end', label: 'end', kind: 'end' });
  const graph = b.done();
  const entries = whole.entries.length ? whole.entries : ['end'];
  for (const to of entries) graph.edges.push({ from: 'start', to });
  if (whole.entries.length) for (const from of whole.exits) graph.edges.push({ from, to: 'end' });
  return graph;
}
