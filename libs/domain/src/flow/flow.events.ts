import type { FlowDefinition } from './flow.model.js';

/**
 * Events of a flow's stream (`flow-<namespace>.<flowId>`): one per deployed revision. The
 * source is the truth; `definition` is what parseFlow made of it at deploy time, kept so
 * readers need not parse (parseFlow(source, revision) gives it back).
 */
export type FlowEvent = FlowRevisionDeployed;
export type FlowEventType = FlowEvent['type'];
export const FLOW_EVENT_SCHEMA_VERSION = 1;

export interface FlowRevisionDeployed {
  readonly type: 'FlowRevisionDeployed';
  readonly data: {
    readonly namespace: string;
    readonly flowId: string;
    /** 1, 2, 3...: stream revision + 1. */
    readonly revision: number;
    /** The YAML exactly as deployed. */
    readonly source: string;
    readonly definition: FlowDefinition;
    readonly at: string;
  };
}
