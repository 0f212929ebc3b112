import { Inject, Injectable } from '@nestjs/common';
import type { ReadModelQueries } from '@chronicle/read-model';
import type { ExecutionRepository } from '@chronicle/use-cases';
import { EXECUTIONS, READ_MODEL } from '../gateway.tokens.js';
import { hideValues, hideValuesDeep, SecretMasking } from './secret-masking.js';

/** What a dead letter shows of the message: where SECRET input values could be. */
interface MaskedFields {
  readonly key: string;
  readonly value?: string | null;
  readonly json?: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly reason: string;
}

/** At most this many executions are looked up for one dead letter (a message names a few: itself, a parent, a child). */
const MAX_EXECUTIONS = 8;

/**
 * Dead letters carry whatever failed: a creation with its inputs, a task job with its rendered
 * properties, a log line, a user's trigger event. The SECRET inputs' values among them are hidden
 * before a dead letter leaves the gateway, as in every other answer: the values of the executions
 * the message names (its key, the `...ExecutionId` fields), and of the inputs it carries for a
 * flow (a trigger event, a Subflow's child). The topic keeps the message as it was, so a redrive
 * sends the original.
 */
@Injectable()
export class DeadLetterMasking {
  constructor(
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(EXECUTIONS) private readonly executions: ExecutionRepository,
  ) {}

  /**
   * A page of dead letters: each execution the page names is looked up once, through the
   * masking's per-context cache (`context`: the request's, or the page itself when there is none),
   * so an execution the request already read costs no second lookup.
   */
  maskAll<T extends MaskedFields>(letters: readonly T[], context: object = letters): Promise<T[]> {
    return Promise.all(letters.map((letter) => this.mask(letter, context)));
  }

  async mask<T extends MaskedFields>(letter: T, context: object = letter): Promise<T> {
    const json = parsed(letter.value ?? null);
    const values = new Set<string>();
    for (const id of executionIdsIn(letter.key, json)) {
      for (const v of await this.secrets.valuesIn(context, id, () => this.execution(id))) values.add(v);
    }
    for (const carried of inputsIn(json)) for (const v of await this.secrets.values(carried)) values.add(v);
    if (values.size === 0) return letter;
    // Longest first, so a secret that contains another is hidden whole.
    const hidden = [...values].sort((a, b) => b.length - a.length);
    return {
      ...letter,
      key: hideValues(letter.key, hidden),
      ...(typeof letter.value === 'string' ? { value: hideValues(letter.value, hidden) } : {}),
      ...(letter.json !== undefined ? { json: hideValuesDeep(letter.json, hidden) } : {}),
      headers: hideValuesDeep(letter.headers, hidden),
      reason: hideValues(letter.reason, hidden),
    };
  }

  /** A failed lookup fails the answer (nothing is shown unmasked); an id of no execution finds nothing to hide. */
  private async execution(id: string) {
    return (await this.readModel.getExecution(id)) ?? (await this.executions.load(id));
  }
}

function parsed(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The message key (the commands, tasks and logs topics are keyed by execution id) and every `executionId`/`...ExecutionId` field, two levels deep. */
function executionIdsIn(key: string, json: unknown): string[] {
  const ids = new Set<string>();
  if (/^[\w-]{8,64}$/.test(key)) ids.add(key);
  const visit = (value: unknown, depth: number) => {
    if (typeof value !== 'object' || value === null || depth > 2) return;
    for (const [name, v] of Object.entries(value)) {
      if (typeof v === 'string' && /^(executionId|\w+ExecutionId)$/.test(name) && /^[\w-]{8,64}$/.test(v)) ids.add(v);
      else visit(v, depth + 1);
    }
  };
  visit(json, 0);
  return [...ids].slice(0, MAX_EXECUTIONS);
}

/** Inputs a message carries for a flow (a trigger event, a child or retry to create): masked by that flow's SECRET inputs. */
function inputsIn(json: unknown): Array<{ namespace: string; flowId: string; flowRevision?: number; inputs: unknown }> {
  if (typeof json !== 'object' || json === null) return [];
  const m = json as Record<string, unknown>;
  if (typeof m.namespace !== 'string' || typeof m.flowId !== 'string' || typeof m.inputs !== 'object' || m.inputs === null) return [];
  const revision = typeof m.flowRevision === 'number' ? m.flowRevision : typeof m.revision === 'number' ? m.revision : undefined;
  return [{ namespace: m.namespace, flowId: m.flowId, ...(revision !== undefined ? { flowRevision: revision } : {}), inputs: m.inputs }];
}
