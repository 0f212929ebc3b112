import type { JsonObject, JsonValue } from '../shared/json.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { TaskPropertyIssue, TaskTypeDefinition } from './task-type-definition.js';

/**
 * Kestra's ForEachItem (ForEachItem.java): the flowable runs three internal tasks in order, as
 * Kestra does, with Kestra's ids: `<id>_split` (a worker splits the `items` file of the internal
 * storage into batch files), `<id>_items` (one subflow execution per batch, `{{ taskrun.items }}`
 * = the batch's URI, `{{ taskrun.iteration }}` = its number) and `<id>_merge` (a worker gathers
 * the subflows' outputs into one file). The internal types cannot be written in a flow.
 */
const FLOW = 'io.kestra.plugin.core.flow';

const isExpression = (v: JsonValue | undefined): boolean => typeof v === 'string' && v.includes('{{');
const has = (p: JsonObject, k: string): boolean => p[k] !== undefined && p[k] !== null;
const isMap = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const BATCH_KEYS = ['rows', 'bytes', 'partitions', 'separator'];

const validateForEachItem = (p: JsonObject): TaskPropertyIssue[] => {
  const issues: TaskPropertyIssue[] = [];
  for (const key of ['items', 'namespace', 'flowId']) {
    if (!has(p, key)) issues.push({ path: [], message: `required property "${key}" is missing` });
    else if (typeof p[key] !== 'string') issues.push({ path: [key], message: 'must be a string' });
  }
  if (has(p, 'batch')) {
    const batch = p.batch;
    if (!isMap(batch)) issues.push({ path: ['batch'], message: 'must be a mapping with rows, bytes, partitions or separator' });
    else {
      for (const k of Object.keys(batch)) if (!BATCH_KEYS.includes(k)) issues.push({ path: ['batch', k], message: `unknown property "${k}" (allowed: ${BATCH_KEYS.join(', ')})` });
      for (const k of ['rows', 'partitions']) {
        const v = batch[k];
        if (v !== undefined && v !== null && !isExpression(v) && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) issues.push({ path: ['batch', k], message: 'must be an integer >= 1' });
      }
      if (has(batch, 'bytes') && !(typeof batch.bytes === 'string' && (isExpression(batch.bytes) || /^\d+\s*(B|KB|MB|GB)?$/i.test(batch.bytes)))) issues.push({ path: ['batch', 'bytes'], message: 'must be a size such as 10MB' });
      if ([has(batch, 'rows'), has(batch, 'bytes'), has(batch, 'partitions')].filter(Boolean).length > 1) issues.push({ path: ['batch'], message: 'set only one of rows, bytes and partitions' });
    }
  }
  if (has(p, 'inputs') && !isMap(p.inputs)) issues.push({ path: ['inputs'], message: 'must be a mapping of input names to values' });
  if (has(p, 'labels') && typeof p.labels !== 'object') issues.push({ path: ['labels'], message: 'must be a mapping or a list of { key, value }' });
  for (const k of ['wait', 'transmitFailed', 'inheritLabels']) if (has(p, k) && typeof p[k] !== 'boolean') issues.push({ path: [k], message: 'true or false' });
  if (has(p, 'revision') && !(typeof p.revision === 'number' && Number.isInteger(p.revision) && p.revision >= 1)) issues.push({ path: ['revision'], message: 'must be an integer >= 1' });
  if (has(p, 'scheduleDate')) issues.push({ path: ['scheduleDate'], message: '"scheduleDate" is not supported by Chronicle: subflow executions start at once' });
  return issues;
};

const internal = (name: string, kind: 'runnable' | 'flowable'): TaskTypeDefinition => ({
  name,
  fullName: `${FLOW}.ForEachItem$${name}`,
  kind,
  validate: () => [],
  internal: true,
  // The split reads the items file and writes the batches, the merge writes the outputs file: the
  // worker scopes the storage to the flow's namespace, so their jobs carry the flow (io).
  ...(kind === 'runnable' ? { io: {} } : {}),
});

export const FOR_EACH_ITEM_TASK_TYPES = {
  ForEachItem: {
    name: 'ForEachItem',
    fullName: `${FLOW}.ForEachItem`,
    kind: 'flowable',
    // `scheduleDate` is Kestra's, refused with its reason by validateForEachItem.
    properties: ['items', 'batch', 'namespace', 'flowId', 'revision', 'inputs', 'labels', 'wait', 'transmitFailed', 'inheritLabels', 'scheduleDate', 'errors', 'finally'],
    taskLists: ['errors', 'finally'],
    validate: validateForEachItem,
    forEachItem: true,
  },
  ForEachItemSplit: internal('ForEachItemSplit', 'runnable'),
  ForEachItemExecutable: internal('ForEachItemExecutable', 'flowable'),
  ForEachItemMergeOutputs: internal('ForEachItemMergeOutputs', 'runnable'),
} as const satisfies Record<string, TaskTypeDefinition>;

export const FOR_EACH_ITEM_SUFFIXES = { split: '_split', items: '_items', merge: '_merge' } as const;

/** The three internal tasks of a ForEachItem, as Kestra's `ForEachItem.getTasks()` builds them. */
export const forEachItemTasks = (id: string, p: JsonObject): TaskDefinition[] => {
  const { items, batch, namespace, flowId, revision, inputs, labels, wait, transmitFailed, inheritLabels } = p;
  const keep = (entries: Record<string, JsonValue | undefined>): JsonObject =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as JsonObject;
  const task = (suffix: string, type: string, properties: JsonObject): TaskDefinition => ({
    id: `${id}${suffix}`, type, typeName: `${FLOW}.ForEachItem$${type}`, properties,
  });
  return [
    // The worker writes the batches under the task run's folder of the storage: it needs the flow.
    task(FOR_EACH_ITEM_SUFFIXES.split, 'ForEachItemSplit', keep({ items, batch: batch ?? { rows: 1 }, namespace: '{{ flow.namespace }}', flowId: '{{ flow.id }}' })),
    task(FOR_EACH_ITEM_SUFFIXES.items, 'ForEachItemExecutable', keep({ namespace, flowId, revision, inputs, labels, wait, transmitFailed, inheritLabels })),
    task(FOR_EACH_ITEM_SUFFIXES.merge, 'ForEachItemMergeOutputs', { namespace: '{{ flow.namespace }}', flowId: '{{ flow.id }}' }),
  ];
};
