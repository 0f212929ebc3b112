import type { FlowDefinition } from './flow.model.js';

/**
 * Events of a flow's stream (`flow-<namespace>.<flowId>`): deployed revisions, and the flow's
 * life cycle (disabled, enabled, deleted). The source is the truth; `definition` is what
 * parseFlow made of it at deploy time, kept so readers need not parse.
 */
export type FlowEvent = FlowRevisionDeployed | FlowDisabled | FlowEnabled | FlowDeleted;
export type FlowEventType = FlowEvent['type'];
export const FLOW_EVENT_SCHEMA_VERSION = 1;

export interface FlowRevisionDeployed {
  readonly type: 'FlowRevisionDeployed';
  readonly data: {
    readonly namespace: string;
    readonly flowId: string;
    /** 1, 2, 3...: counts the deployed revisions of the stream (life-cycle events do not count). */
    readonly revision: number;
    /** The YAML exactly as deployed. */
    readonly source: string;
    readonly definition: FlowDefinition;
    /**
     * Whether the flow stays disabled through this deploy (a deploy keeps the flow's status),
     * so a reader of the newest revision knows the status without reading the whole stream.
     */
    readonly disabled?: boolean;
    readonly at: string;
  };
}

/** No new execution may start until FlowEnabled; running ones go on. */
export interface FlowDisabled {
  readonly type: 'FlowDisabled';
  readonly data: { readonly namespace: string; readonly flowId: string; readonly at: string };
}

export interface FlowEnabled {
  readonly type: 'FlowEnabled';
  readonly data: { readonly namespace: string; readonly flowId: string; readonly at: string };
}

/** The flow leaves the list; its revisions stay readable for the executions that ran them. A new deploy brings it back. */
export interface FlowDeleted {
  readonly type: 'FlowDeleted';
  readonly data: { readonly namespace: string; readonly flowId: string; readonly at: string };
}

/** Where a flow stands after its newest events. */
export interface FlowStatus {
  readonly disabled: boolean;
  readonly deleted: boolean;
}

/**
 * The status after `newestFirst` (the stream read backwards down to the newest deploy,
 * included). The newest life-cycle event wins; a deploy carries the status it kept.
 */
export function flowStatusOf(newestFirst: readonly FlowEvent[]): FlowStatus {
  let disabled: boolean | undefined;
  let deleted: boolean | undefined;
  for (const event of newestFirst) {
    switch (event.type) {
      case 'FlowDeleted':
        deleted ??= true;
        break;
      case 'FlowDisabled':
        disabled ??= true;
        break;
      case 'FlowEnabled':
        disabled ??= false;
        break;
      case 'FlowRevisionDeployed':
        return { disabled: disabled ?? event.data.disabled ?? false, deleted: deleted ?? false };
    }
  }
  return { disabled: disabled ?? false, deleted: deleted ?? false };
}
