import type { TaskTypeDefinition } from './task-type-definition.js';

/**
 * `io.chronicle.wrapper.RunWrapped` (Cloudomation's wrappers): in a wrapper flow, runs the
 * execution it wraps as its child and ends with its outcome. It takes no properties: what it runs
 * comes from the wrapper execution (`wrapped`). The parser turns it into a Subflow (see
 * run-wrapped.task.ts), so retries, `timeout`, kills and `errors` apply as to any Subflow.
 */
export const WRAPPER_TASK_TYPES = {
  RunWrapped: {
    name: 'RunWrapped',
    fullName: 'io.chronicle.wrapper.RunWrapped',
    kind: 'flowable',
    // Its own properties: none (any is a deploy error; base ones such as retry and timeout apply).
    properties: [],
    validate: () => [],
  },
} as const satisfies Record<string, TaskTypeDefinition>;
