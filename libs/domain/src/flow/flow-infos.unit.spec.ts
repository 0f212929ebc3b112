import { describe, expect, it } from 'vitest';
import { flowInfos } from './flow-infos.js';
import { parseFlow } from './flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

// Kestra's FlowControllerTest#shouldValidateFlowWithWarningsAndInfos (webserver/src/test/resources/flows/warningsAndInfos.yaml).
describe('flowInfos', () => {
  it('names each task written under an older name of its type, nested ones too', () => {
    const flow = parseFlow(`id: warnings-and-infos
namespace: io.kestra.unittest
tasks:
  - { id: echo, type: io.kestra.plugin.core.debug.Echo, format: "I'm an echo" }
  - { id: alias, type: io.kestra.core.tasks.log.Log, message: "I'm an alias" }
  - id: seq
    type: io.kestra.core.tasks.flows.Sequential
    tasks:
      - { id: hello, type: Log, message: Hello }
`, CORE_TASK_CATALOG, 1);
    expect(flowInfos(flow)).toEqual([
      'io.kestra.core.tasks.log.Log is replaced by io.kestra.plugin.core.log.Log',
      'io.kestra.core.tasks.flows.Sequential is replaced by io.kestra.plugin.core.flow.Sequential',
    ]);
  });
});
