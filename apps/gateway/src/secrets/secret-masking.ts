import { Inject, Injectable } from '@nestjs/common';
import { maskSecrets, SECRET_MASK, type FlowDefinition, type JsonObject, type JsonValue } from '@chronicle/domain';
import { FLOWS } from '../gateway.tokens.js';
import type { FlowRepository } from '@chronicle/use-cases';

const CACHE_LIMIT = 1_000;

interface ExecutionRef {
  readonly namespace: string;
  readonly flowId: string;
  readonly flowRevision?: number;
  readonly inputs?: unknown;
}

/**
 * The read boundary of SECRET inputs: every answer that shows an execution's inputs, the
 * events that carry them, or its log lines goes through here, for every caller (Kestra shows
 * secrets to nobody once given). The stored events keep the values: the executor needs them.
 */
@Injectable()
export class SecretMasking {
  /** Flow definitions by revision (which inputs are SECRET); a revision never changes, so this cache is never stale. */
  private readonly definitions = new Map<string, Promise<FlowDefinition | undefined>>();

  private readonly byContext = new WeakMap<object, Map<string, Promise<string[]>>>();

  constructor(@Inject(FLOWS) private readonly flows: FlowRepository) {}

  /** The execution's inputs with every SECRET input's value replaced. */
  async inputs(execution: ExecutionRef): Promise<JsonObject | undefined> {
    const inputs = execution.inputs as JsonObject | undefined | null;
    if (!inputs || typeof inputs !== 'object' || Object.keys(inputs).length === 0) return inputs ?? undefined;
    const flow = await this.definition(execution);
    // Unknown flow revision: show no input value at all rather than risk one.
    if (!flow) return Object.fromEntries(Object.keys(inputs).map((k) => [k, SECRET_MASK]));
    return maskSecrets(flow, inputs);
  }

  /** An execution event's data with the inputs it carries (creation, child request, retry) masked. */
  async eventData(data: unknown): Promise<unknown> {
    const d = data as (ExecutionRef & Record<string, unknown>) | null;
    if (!d || typeof d !== 'object' || !('inputs' in d) || typeof d.namespace !== 'string' || typeof d.flowId !== 'string') return data;
    return { ...d, inputs: await this.inputs(d) };
  }

  /** The raw values of the execution's SECRET inputs, to hide them wherever they appear in text. */
  async values(execution: ExecutionRef): Promise<string[]> {
    const inputs = execution.inputs as JsonObject | undefined | null;
    if (!inputs || typeof inputs !== 'object' || Object.keys(inputs).length === 0) return [];
    const flow = await this.definition(execution);
    // Unknown flow revision: hide every input's value rather than risk one.
    const secret = new Set(flow ? flow.inputs.filter((i) => i.secret).map((i) => i.id) : Object.keys(inputs));
    return Object.entries(inputs)
      .filter(([id, value]) => secret.has(id) && value !== null && value !== undefined)
      .map(([, value]) => (typeof value === 'string' ? value : JSON.stringify(value as JsonValue)))
      .filter((text) => text.length > 0)
      // Longest first, so a secret that contains another is hidden whole.
      .sort((a, b) => b.length - a.length);
  }

  /**
   * The secret values of one execution, once per request (or subscription) context: a resolver
   * that already holds the execution remembers it, so a page of log lines costs no extra query.
   */
  valuesIn(context: object, executionId: string, load: () => Promise<ExecutionRef | undefined>): Promise<string[]> {
    let known = this.byContext.get(context);
    if (!known) this.byContext.set(context, (known = new Map()));
    let values = known.get(executionId);
    if (!values) known.set(executionId, (values = load().then((execution) => (execution ? this.values(execution) : []))));
    return values;
  }

  remember(context: object, execution: ExecutionRef & { readonly id: string }): void {
    void this.valuesIn(context, execution.id, async () => execution).catch(() => undefined);
  }

  private definition(ref: ExecutionRef): Promise<FlowDefinition | undefined> {
    const key = `${ref.namespace}\u0000${ref.flowId}\u0000${ref.flowRevision ?? 'latest'}`;
    let found = this.definitions.get(key);
    if (!found) {
      found = (ref.flowRevision === undefined ? this.flows.latest(ref.namespace, ref.flowId) : this.flows.revision(ref.namespace, ref.flowId, ref.flowRevision))
        .then((stored) => stored?.definition);
      // "latest" may change: cache only fixed revisions.
      if (ref.flowRevision !== undefined) {
        if (this.definitions.size >= CACHE_LIMIT) this.definitions.delete(this.definitions.keys().next().value!);
        this.definitions.set(key, found.catch((error) => (this.definitions.delete(key), Promise.reject(error))));
      }
    }
    return found;
  }
}

/**
 * A JSON value with every secret value replaced by the mask inside every string it holds, but the
 * fields under `keep` (identifiers a flow author chose, such as a task id `secret`, which are no
 * secret even when a value equals them).
 */
export function hideValuesDeep<T>(value: T, values: readonly string[], keep: ReadonlySet<string> = NO_KEYS): T {
  if (values.length === 0 || value === null || value === undefined) return value;
  if (typeof value === 'string') return hideValues(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => hideValuesDeep(v, values, keep)) as T;
  if (typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, keep.has(k) ? v : hideValuesDeep(v, values, keep)])) as T;
  }
  return value;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** A task run's identifiers and states: what a flow's YAML and the engine name, never an input's value. */
export const TASK_RUN_KEYS: ReadonlySet<string> = new Set(['id', 'taskId', 'parentTaskRunId', 'parentId', 'executionId', 'namespace', 'flowId', 'taskType', 'type', 'state', 'current', 'number']);

/** A text with every secret value replaced by the mask. */
export function hideValues(text: string, values: readonly string[]): string {
  let hidden = text;
  for (const value of values) hidden = hidden.split(value).join(SECRET_MASK);
  return hidden;
}
