import { API_REASONS } from '../errors/api-error-codes.js';
import { API_ERROR_STATUS } from '../errors/api-errors.js';

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
    code: { type: 'string', enum: Object.keys(API_ERROR_STATUS), description: 'The category, which decides the HTTP status (docs/api-errors.md)' },
    reason: { type: 'string', enum: [...API_REASONS], description: 'The exact Chronicle code: what went wrong (docs/api-errors.md)' },
    message: str,
    details: { type: 'object', description: 'e.g. { "parameter": "size" } for a wrong query parameter', additionalProperties: true },
    _links: { type: 'object', description: 'Kestra (Micronaut) error shape, on unknown paths and methods' },
    _embedded: { type: 'object' },
  }, ['code', 'message']),
  State: open({ current: str, histories: { type: 'array', items: open({ state: str, date }) }, startDate: date, endDate: date }, ['current']),
  TaskRun: open({
    id: str, executionId: str, taskId: str, parentTaskRunId: { type: ['string', 'null'] }, value: any, state: ref('State'), attempts: { type: 'array', items: { type: 'object' } }, outputs: { type: 'object' },
    breakpoint: open({ since: date, properties: { type: 'object' }, error: str }, ['since']),
  }, ['id', 'taskId', 'state']),
  Execution: open({
    id: str, namespace: str, flowId: str, flowRevision: int, state: ref('State'), inputs: { type: 'object' }, outputs: { type: 'object' },
    labels: { type: 'array', items: open({ key: str, value: str }, ['key', 'value']) },
    taskRunList: { type: 'array', items: ref('TaskRun') }, trigger: any, originalId: str, parentId: { type: ['string', 'null'] }, error: str, url: str,
    savepoints: { type: 'array', description: 'Points it can be rewound to (POST /api/v1/executions/{id}/rewind)', items: open({ revision: int, taskId: str, taskRunId: str, at: date }, ['revision', 'taskId']) },
    rewinds: { type: 'array', items: { type: 'object' } },
    wraps: open({ namespace: str, flowId: str, innerWrappers: { type: 'array', items: open({ namespace: str, flowId: str }) } }),
    revision: { type: 'integer', description: 'Stream revision this state reflects: send it back as ?minRevision= to read your writes.' },
    breakpoints: { type: 'array', items: str, description: 'Task ids the run pauses before.' },
    stepMode: { type: 'boolean', description: 'Whether it pauses before every task now.' },
    lockClaims: { type: 'array', items: open({ taskRunId: str, names: { type: 'array', items: str }, state: { type: 'string', enum: ['WAITING', 'HELD'] }, since: date }, ['names', 'state', 'since']) },
  }, ['id', 'namespace', 'flowId', 'state', 'revision']),
  PagedExecutions: { ...paged('Execution'), properties: { ...paged('Execution').properties, nextCursor: { type: 'string', description: 'Pass as ?after= for the next page (keyset paging, stable while executions are added).' } } },
  StillRunning: open({ id: str, message: str, url: str }, ['id']),
  LogEntry: open({ namespace: str, flowId: str, executionId: str, taskRunId: str, taskId: str, level: str, message: str, timestamp: date }, ['executionId', 'level', 'message', 'timestamp']),
  Flow: open({ namespace: str, id: str, revision: int, source: str, description: str, inputs: any, tasks: any, triggers: any, labels: any, disabled: { type: 'boolean' }, deleted: { type: 'boolean' }, deployedAt: date }, ['namespace', 'id', 'revision']),
  PagedFlows: paged('Flow'),
  FlowValidation: open({
    index: int, namespace: str, flow: str,
    constraints: { type: 'string', description: 'The problems, each with its line; absent when the document is valid.' },
    infos: { type: 'array', items: str, description: 'Kestra\'s infos about a valid document: each task written under an older name of its type (`<alias> is replaced by <name>`); absent when there is none.' },
  }, ['index']),
  Trigger: open({ namespace: str, flowId: str, id: str, type: str, enabled: { type: 'boolean' }, disabledInFlow: { type: 'boolean' }, lastFiredAt: date, nextDate: date }, ['namespace', 'flowId', 'id']),
  PagedTriggers: paged('Trigger'),
  BackfillResult: open({ started: { type: 'array', items: str }, skipped: { type: 'array', items: str } }, ['started', 'skipped']),
  Count: open({ count: int }, ['count']),
  BulkInvalid: open({ message: str, invalidValue: str, propertyPath: str, code: { type: 'string', enum: ['NOT_FOUND', 'CONFLICT'] } }, ['message', 'invalidValue', 'code']),
  BulkResponse: open({
    count: { type: 'integer', description: 'Executions acted on' },
    skipped: { type: 'array', items: ref('BulkInvalid'), description: 'Checked, then changed by someone else before the action reached them' },
  }, ['count']),
  BulkErrorResponse: open({ code: str, message: str, invalids: { type: 'array', items: ref('BulkInvalid') } }, ['message', 'invalids']),
  KVEntry: open({ key: str, updateDate: date, expirationDate: { type: ['string', 'null'], format: 'date-time' } }, ['key', 'updateDate']),
  KVTypedValue: open({ type: { type: 'string', enum: ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] }, value: any }, ['type', 'value']),
  KVDeletedKeys: open({ keys: { type: 'array', items: str } }, ['keys']),
  FileMeta: open({ size: int, contentType: str }, ['size', 'contentType']),
  NamespaceFileEntry: open({ fileName: str, type: { type: 'string', enum: ['File', 'Directory'] }, size: int }, ['fileName', 'type', 'size']),
  FileUri: open({ uri: str }, ['uri']),
  ImportResult: open({}, []),
  LockHolder: open({ executionId: str, taskRunId: str, namespace: str, flowId: str, names: { type: 'array', items: str }, priority: int, since: date }, ['executionId', 'namespace', 'flowId', 'names', 'since']),
  NamedLock: open({ name: str, namespace: str, holder: ref('LockHolder'), waiters: { type: 'array', items: ref('LockHolder') } }, ['name', 'namespace', 'waiters']),
  LockRelease: open({ name: str, namespace: str, previousHolder: ref('LockHolder'), grantedTo: { type: 'array', items: str } }, ['name', 'namespace', 'previousHolder', 'grantedTo']),
  Health: open({ status: str, checks: { type: 'object' } }, ['status']),
  OpenApi: open({ openapi: str }, ['openapi']),
} as const;
