import type { DataSource } from 'typeorm';
import { getAudit, type AuditEntryView, type AuditQueryInput } from './audit.queries.js';
import { listProjectionCheckpoints, readCheckpoint } from './checkpoint.queries.js';
import { getDashboard, type DashboardInput, type DashboardView } from './dashboard.queries.js';
import { getExecution, getExecutions, listExecutions } from './execution.queries.js';
import { getFlow, listFlowRevisions, listFlows } from './flow.queries.js';
import { getLogPages, getLogs } from './log.queries.js';
import { listRebuilds, requestRebuild, type RebuildView } from '../rebuild/rebuild-state.js';
import type {
  ExecutionPage, ExecutionView, FlowView, ListExecutionsInput, LogPage, LogPageInput, LogView, ProjectionStatusView,
} from './read-model.views.js';

/** Everything the gateway reads from the read model. */
export class ReadModelQueries {
  /** Public for the admin operations that write (retention: `purgeExecutions`). */
  constructor(readonly dataSource: DataSource) {}

  /** Who did what: the audit of one execution or one namespace, in log order. */
  audit(input: AuditQueryInput): Promise<AuditEntryView[]> {
    return getAudit(this.dataSource.manager, input);
  }

  getExecution(id: string): Promise<ExecutionView | undefined> {
    return getExecution(this.dataSource.manager, id);
  }

  /** Many executions by id with their task runs: two queries whatever their number. */
  getExecutions(ids: readonly string[]): Promise<Map<string, ExecutionView>> {
    return getExecutions(this.dataSource.manager, ids);
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

  getLogs(executionId: string, minLevel?: string): Promise<LogView[]> {
    return getLogs(this.dataSource.manager, executionId, minLevel);
  }

  /** A page of logs for each execution, in one query. */
  getLogPages(executionIds: readonly string[], input: LogPageInput = {}): Promise<Map<string, LogPage>> {
    return getLogPages(this.dataSource.manager, executionIds, input);
  }

  /** Executions over time, by state and duration, with the busiest and most failing flows. */
  dashboard(input: DashboardInput): Promise<DashboardView> {
    return getDashboard(this.dataSource.manager, input);
  }

  /** Committed position of a projection (default the execution projection). */
  checkpoint(name = 'executions'): Promise<bigint | undefined> {
    return readCheckpoint(this.dataSource.manager, name);
  }

  /** Every projection's checkpoint, for the status of the projections. */
  projectionCheckpoints(): Promise<ProjectionStatusView[]> {
    return listProjectionCheckpoints(this.dataSource.manager);
  }

  /** The latest rebuild of every projection that was ever rebuilt, with its progress. */
  projectionRebuilds(): Promise<RebuildView[]> {
    return listRebuilds(this.dataSource.manager);
  }

  /** Asks the projection service to rebuild `name` (the one running already, if any, is answered). */
  requestProjectionRebuild(name: string, actor?: string): Promise<RebuildView> {
    return requestRebuild(this.dataSource.manager, name, actor);
  }
}
