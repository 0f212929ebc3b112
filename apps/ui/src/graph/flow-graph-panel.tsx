import { Alert, List, Text } from '@mantine/core';
import { useMemo, useRef } from 'react';
import type { TaskRun } from '../api/types.js';
import { layoutFlowGraph, type FlowLayout } from './flow-graph-layout.js';
import { buildFlowGraph } from './flow-graph-model.js';
import { FlowGraphView } from './flow-graph-view.js';
import { parseFlowSource, type SourceProblem } from './flow-source.js';
import { runsByTask } from './run-overlay.js';

interface Props {
  /** The flow's YAML: redrawn as it changes. */
  source: string;
  /** An execution's task runs, drawn on the graph. */
  taskRuns?: readonly TaskRun[];
  selected?: string | null;
  onSelect?(taskId: string): void;
}

/**
 * The flow drawn from its YAML (lazy-loaded with dagre and the YAML parser). A source that does
 * not parse shows its problems, and the last drawing that did stays below them.
 */
export default function FlowGraphPanel({ source, taskRuns, selected, onSelect }: Props) {
  const lastGood = useRef<FlowLayout | undefined>(undefined);
  const { layout, problems } = useMemo((): { layout?: FlowLayout; problems: SourceProblem[] } => {
    const parsed = parseFlowSource(source);
    if (!parsed.flow) return { layout: lastGood.current, problems: parsed.problems };
    try {
      lastGood.current = layoutFlowGraph(buildFlowGraph(parsed.flow));
      return { layout: lastGood.current, problems: [] };
    } catch (error) {
      return { layout: lastGood.current, problems: [{ message: `the graph could not be drawn: ${error instanceof Error ? error.message : String(error)}` }] };
    }
  }, [source]);
  const runs = useMemo(() => (taskRuns ? runsByTask(taskRuns) : undefined), [taskRuns]);

  return (
    <>
      {problems.length > 0 && (
        <Alert color="red" title="The YAML does not parse: the graph shows the last version that did" data-testid="graph-problems" mb="sm">
          <List size="sm">
            {problems.map((p, i) => (
              <List.Item key={i}>{p.line ? `line ${p.line}: ` : ''}{p.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {layout ? (
        <FlowGraphView layout={layout} runs={runs} selected={selected} onSelect={onSelect} label="Flow graph" />
      ) : (
        problems.length === 0 && <Text c="dimmed">No task to draw yet.</Text>
      )}
    </>
  );
}
