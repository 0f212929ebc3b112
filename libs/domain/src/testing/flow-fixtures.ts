/** Flow sources shared by unit tests (not part of the public API). */
export const BENCHMARK01_FULL_NAMES = `id: benchmark01
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

export const BENCHMARK01_SHORT_NAMES = BENCHMARK01_FULL_NAMES.replace('io.kestra.plugin.core.output.OutputValues', 'OutputValues').replace(
  'io.kestra.plugin.core.log.Log',
  'Log',
);
