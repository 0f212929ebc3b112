/** Kestra's published benchmark flow, unchanged (the foundation issue's flow). */
export const BENCHMARK01_FLOW = `id: benchmark01
namespace: benchmarks
inputs:
  - id: name
    type: STRING
    defaults: World
tasks:
  - id: concatenate
    type: io.kestra.plugin.core.output.OutputValues
    values:
      message: Hello {{ inputs.name }}
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.concatenate.values.message }}"
`;

export const EXECUTION_FIELDS = `id namespace flowId flowRevision state stateHistory { state date } inputs outputs originalId parentId startDate endDate revision
  taskRuns { id taskId state outputs startDate endDate attempts { number state startDate endDate error } }`;
