/** Flows the browser tests deploy. Line numbers matter: the broken one's error is on line 9. */
export const NAMESPACE = 'e2e.ui';

export const DEMO_FLOW = `id: demo
namespace: ${NAMESPACE}
description: The browser test's flow
inputs:
  - { id: name, type: STRING, required: true }
  - { id: count, type: INT, defaults: 2, min: 1, max: 10 }
  - { id: mode, type: ENUM, values: [fast, slow], defaults: fast }
  - { id: loud, type: BOOLEAN, defaults: false }
tasks:
  - id: hello
    type: Log
    message: "Hello {{ inputs.name }} x{{ inputs.count }}"
  - id: each
    type: ForEach
    values: ["a", "b"]
    tasks:
      - id: item
        type: Log
        message: "item {{ taskrun.value }}"
  - id: done
    type: Return
    format: "{{ inputs.name }} done"
`;

/** Line 11 names a task type that does not exist. */
export const BROKEN_FLOW = DEMO_FLOW.replace('    type: Log\n    message: "Hello', '    type: NoSuchTask\n    message: "Hello');
export const BROKEN_LINE = 11;

export const PAUSE_FLOW = `id: approval
namespace: ${NAMESPACE}
tasks:
  - id: wait
    type: Pause
    onResume:
      - { id: comment, type: STRING, required: false }
  - id: after
    type: Log
    message: "approved: {{ outputs.wait.onResume.comment ?? 'none' }}"
`;

export const SLEEP_FLOW = `id: sleepy
namespace: ${NAMESPACE}
tasks:
  - id: nap
    type: Sleep
    duration: PT10M
  - id: never
    type: Log
    message: not reached
`;

export const SCHEDULE_FLOW = `id: nightly
namespace: ${NAMESPACE}
triggers:
  - id: every-night
    type: Schedule
    cron: "0 2 * * *"
tasks:
  - id: report
    type: Log
    message: nightly report
`;

export const FAILING_FLOW = `id: failing
namespace: ${NAMESPACE}
tasks:
  - id: boom
    type: Fail
    errorMessage: always fails
`;

/** Every shape the graph draws: Parallel, If, ForEach, Subflow, errors and finally; it sleeps at the end, to be seen running. */
export const SHAPES_FLOW = `id: shapes
namespace: ${NAMESPACE}
tasks:
  - id: fan
    type: Parallel
    tasks:
      - id: measure
        type: Script
        script: 'counter("rows", 5); timer("query", 40); return 1'
      - id: side
        type: Log
        message: side
  - id: check
    type: If
    condition: "{{ true }}"
    then:
      - id: loop
        type: ForEach
        values: ["a", "b", "c"]
        tasks:
          - id: step
            type: Log
            message: "step {{ taskrun.value }}"
    else:
      - id: skipped
        type: Log
        message: not this way
  - id: child
    type: Subflow
    namespace: ${NAMESPACE}
    flowId: demo
    inputs:
      name: child
  - id: nap
    type: Sleep
    duration: PT10M
errors:
  - id: alert
    type: Log
    message: something failed
finally:
  - id: cleanup
    type: Log
    message: cleaned up
`;
