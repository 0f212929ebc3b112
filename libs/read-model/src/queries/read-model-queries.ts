import type { DataSource } from 'typeorm';
import { readCheckpoint } from './checkpoint.queries.js';
import { getExecution, listExecutions } from './execution.queries.js';
import { getFlow, listFlowRevisions, listFlows } from './flow.queries.js';
import { getLogs } from './log.queries.js';
import type { ExecutionPage, ExecutionView, FlowView, ListExecutionsInput, LogView } from './read-model.views.js';

/** Everything the gateway reads from the read model. */
export class ReadModelQueries {
  constructor(private readonly dataSource: DataSource) {}

  getExecution(id: string): Promise<ExecutionView | undefined> {
    return getExecution(this.dataSource.manager, id);
  }

  listExecutions(input: ListExecutionsInput = {}): Promise<ExecutionPage> {
    return listExecutions(this.dataSource.manager, input);
  }

  getFlow(namespace: string, id: string, revision?: number): Promise<FlowView | undefined> {
    return getFlow(this.dataSource.manager, namespace, id, revision);
  }

  listFlows(namespace?: string): Promise<FlowView[]> {
    return listFlows(this.dataSource.manager, namespace);
  }

  listFlowRevisions(namespace: string, id: string): Promise<FlowView[]> {
    return listFlowRevisions(this.dataSource.manager, namespace, id);
  }

  getLogs(executionId: string): Promise<LogView[]> {
    return getLogs(this.dataSource.manager, executionId);
  }

  /** Committed position of a projection (default the execution projection). */
  checkpoint(name = 'executions'): Promise<bigint | undefined> {
    return readCheckpoint(this.dataSource.manager, name);
  }
}
