import { TriggerStateStore } from '@chronicle/stores';
import type { Platform } from './platform.js';

/**
 * One dependency-injection token per port the platform binds, shared by every app's Nest module so a
 * port has one name everywhere. Plain symbols: the apps' modules turn them into providers
 * (`platformPortProviders`), and services and controllers `@Inject` the ones they use.
 */
/** `ChronicleConfig`: the validated configuration. */
export const CONFIG = Symbol('CONFIG');
/** `EventStore`: the log. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** `MessageBus`: Kafka or in-process. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
/** `Topics`: the bus's topic names under the configured prefix. */
export const TOPICS = Symbol('TOPICS');
/** `Clock`. */
export const CLOCK = Symbol('CLOCK');
/** `CheckpointStore`: where a log follower resumes. */
export const CHECKPOINTS = Symbol('CHECKPOINTS');
/** `FlowRepository`: flow revisions as the log has them. */
export const FLOWS = Symbol('FLOWS');
/** `ExecutionRepository`: an execution folded from its stream. */
export const EXECUTIONS = Symbol('EXECUTIONS');
/** `InternalStorage`: execution and namespace files. */
export const INTERNAL_STORAGE = Symbol('INTERNAL_STORAGE');
/** `KvStore`: Kestra's KV store, per namespace. */
export const KV_STORE = Symbol('KV_STORE');
/** `EnvSecrets`: secrets from `SECRET_<KEY>` variables. */
export const SECRETS = Symbol('SECRETS');
/** `TriggerStates`: run-time trigger state; bound by the apps that use it (`triggerStatesProvider`). */
export const TRIGGER_STATES = Symbol('TRIGGER_STATES');

/** Each port of the platform under its token, as Nest value providers. */
export function platformPortProviders(platform: Platform): Array<{ provide: symbol; useValue: unknown }> {
  return [
    { provide: CONFIG, useValue: platform.config },
    { provide: EVENT_STORE, useValue: platform.store },
    { provide: MESSAGE_BUS, useValue: platform.bus },
    { provide: TOPICS, useValue: platform.topics },
    { provide: CLOCK, useValue: platform.clock },
    { provide: CHECKPOINTS, useValue: platform.checkpoints },
    { provide: FLOWS, useValue: platform.flows },
    { provide: EXECUTIONS, useValue: platform.executions },
    { provide: INTERNAL_STORAGE, useValue: platform.storage },
    { provide: KV_STORE, useValue: platform.kv },
    { provide: SECRETS, useValue: platform.secrets },
  ];
}

/** The trigger state store on the platform's Postgres, its table ensured before anything uses it. */
export function triggerStatesProvider(platform: Pick<Platform, 'pool'>): { provide: symbol; useFactory: () => Promise<TriggerStateStore> } {
  return {
    provide: TRIGGER_STATES,
    useFactory: async () => {
      const states = new TriggerStateStore(platform.pool);
      await states.ensureSchema();
      return states;
    },
  };
}
