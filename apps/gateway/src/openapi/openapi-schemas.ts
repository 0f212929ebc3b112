/** Component schemas of the REST answers (JSON Schema 2020-12, as OpenAPI 3.1 uses). */
const open = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: true });
const str = { type: 'string' };
const int = { type: 'integer' };
const date = { type: 'string', format: 'date-time' };
const any = {};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const paged = (item: string) => open({ results: { type: 'array', items: ref(item) }, total: int }, ['results', 'total']);

export const OPENAPI_SCHEMAS = {
  Error: open({
    code: { type: 'string', description: 'BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, CONFLICT, PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE' },
    message: str,
    details: { type: 'object', description: 'e.g. { "parameter": "size" } for a wrong query parameter', additionalProperties: true },
    _links: { type: 'object', description: 'Kestra (Micronaut) error shape, on unknown paths and methods' },
    _embedded: { type: 'object' },
  }, ['code', 'message']),
  State: open({ current: str, histories: { type: 'array', items: open({ state: str, date }) }, startDate: date, endDate: date }, ['current']),
  TaskRun: open({ id: str, executionId: str, taskId: str, parentTaskRunId: { type: ['string', 'null'] }, value: any, state: ref('State'), attempts: { type: 'array', items: { type: 'object' } }, outputs: { type: 'object' } }, ['id', 'taskId', 'state']),
  Execution: open({
    id: str, namespace: str, flowId: str, flowRevision: int, state: ref('State'), inputs: { type: 'object' }, outputs: { type: 'object' },
    labels: { type: 'array', items: open({ key: str, value: str }, ['key', 'value']) },
    taskRunList: { type: 'array', items: ref('TaskRun') }, trigger: any, originalId: str, parentId: { type: ['string', 'null'] }, error: str, url: str,
    savepoints: { type: 'array', description: 'Points it can be rewound to (POST /api/v1/executions/{id}/rewind)', items: open({ revision: int, taskId: str, taskRunId: str, at: date }, ['revision', 'taskId']) },
    rewinds: { type: 'array', items: { type: 'object' } },
    wraps: open({ namespace: str, flowId: str, innerWrappers: { type: 'array', items: open({ namespace: str, flowId: str }) } }),
    revision: { type: 'integer', description: 'Stream revision this state reflects: send it back as ?minRevision= to read your writes.' },
  }, ['id', 'namespace', 'flowId', 'state', 'revision']),
  PagedExecutions: { ...paged('Execution'), properties: { ...paged('Execution').properties, nextCursor: { type: 'string', description: 'Pass as ?after= for the next page (keyset paging, stable while executions are added).' } } },
  StillRunning: open({ id: str, message: str, url: str }, ['id']),
  LogEntry: open({ namespace: str, flowId: str, executionId: str, taskRunId: str, taskId: str, level: str, message: str, timestamp: date }, ['executionId', 'level', 'message', 'timestamp']),
  Flow: open({ namespace: str, id: str, revision: int, source: str, description: str, inputs: any, tasks: any, triggers: any, labels: any, disabled: { type: 'boolean' }, deleted: { type: 'boolean' }, deployedAt: date }, ['namespace', 'id', 'revision']),
  PagedFlows: paged('Flow'),
  FlowValidation: open({ index: int, namespace: str, flow: str, constraints: { type: 'string', description: 'The problems, each with its line; absent when the document is valid.' } }, ['index']),
  Trigger: open({ namespace: str, flowId: str, id: str, type: str, enabled: { type: 'boolean' }, disabledInFlow: { type: 'boolean' }, lastFiredAt: date, nextDate: date }, ['namespace', 'flowId', 'id']),
  PagedTriggers: paged('Trigger'),
  BackfillResult: open({ started: { type: 'array', items: str }, skipped: { type: 'array', items: str } }, ['started', 'skipped']),
  Count: open({ count: int }, ['count']),
  FileMeta: open({ size: int, contentType: str }, ['size', 'contentType']),
  NamespaceFileEntry: open({ fileName: str, type: { type: 'string', enum: ['File', 'Directory'] }, size: int }, ['fileName', 'type', 'size']),
  FileUri: open({ uri: str }, ['uri']),
  ImportResult: open({}, []),
  Health: open({ status: str, checks: { type: 'object' } }, ['status']),
  OpenApi: open({ openapi: str }, ['openapi']),
} as const;
