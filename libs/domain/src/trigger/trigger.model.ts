import type { State } from '../execution/state.js';
import type { ExecutionOptions } from '../execution/run-options.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Condition, MultipleCondition } from './conditions/condition.model.js';

/** Triggers a flow declares (`triggers:`), validated; what starts executions without a person. */
export type TriggerDefinition = ScheduleTrigger | WebhookTrigger | KafkaTrigger | FlowTrigger | HttpTrigger;
export type TriggerKind = TriggerDefinition['kind'];

interface TriggerBase {
  readonly id: string;
  /** The type exactly as written. */
  readonly typeName: string;
  readonly disabled: boolean;
  /** Inputs of the executions it starts; strings may be templates (rendered with `trigger`). */
  readonly inputs: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  /** Run options of the executions it starts (priority, maxRuntime, name, description, message, mode). */
  readonly runOptions?: ExecutionOptions;
}

export type MissedSchedulePolicy = 'ALL' | 'LAST' | 'NONE';

export interface ScheduleTrigger extends TriggerBase {
  readonly kind: 'Schedule';
  /** The cron expression of a `Schedule`; absent on a `ScheduleOnDates`, which has `dates`. */
  readonly cron?: string;
  /** ScheduleOnDates: its ticks, sorted ISO instants (UTC), each fired once. */
  readonly dates?: readonly string[];
  readonly withSeconds: boolean;
  /** IANA zone the cron expression is read in (default UTC). */
  readonly timezone: string;
  /** Stop firing once an execution it started ends in one of these states. */
  readonly stopAfter: readonly State[];
  readonly recoverMissedSchedules: MissedSchedulePolicy;
  /**
   * Kestra's schedule conditions (DayWeek, Weekend, TimeBetween, Not, Or, Expression, ...): a tick
   * fires only when all hold, judged with `trigger.date` = the tick in the schedule's zone.
   */
  readonly conditions: readonly Condition[];
  /** `lateMaximumDelay`: a tick found later than this after its time is skipped, not started. */
  readonly lateMaximumDelayMs?: number;
}

export interface WebhookTrigger extends TriggerBase {
  readonly kind: 'Webhook';
  readonly key: string;
  /** Answer when the execution ends instead of at once. */
  readonly wait: boolean;
  /**
   * Kestra's `returnOutputs`: a call that waits is answered with the flow's outputs instead of
   * the execution record; a `webhookResponse` output shapes the HTTP answer (status, content
   * type, headers, body: Cloudomation's webhook responses).
   */
  readonly returnOutputs: boolean;
  /** Beyond Kestra: HMAC-SHA256 secret; requests without a valid signature are refused. */
  readonly secret?: string;
  /** Header carrying the signature (GitHub style `sha256=<hex>` by default). */
  readonly signatureHeader: string;
  /**
   * Kestra's webhook conditions (Expression, dates, Not, Or...), judged on each call with
   * `trigger.body`, `trigger.headers` and `trigger.parameters`: a call for which one does not hold
   * starts nothing and is answered 204, as Kestra's WebhookController.
   */
  readonly conditions: readonly Condition[];
}

export interface KafkaTrigger extends TriggerBase {
  readonly kind: 'Kafka';
  readonly topic: string;
  readonly groupId: string;
  readonly keyDeserializer: 'JSON' | 'STRING';
  readonly valueDeserializer: 'JSON' | 'STRING';
  /** Expression over `trigger`; a message whose rendered condition is falsy starts nothing. */
  readonly condition?: string;
}

export interface FlowTrigger extends TriggerBase {
  readonly kind: 'Flow';
  /** The upstream states it reacts to (Kestra's `states`; default: every terminal state). */
  readonly states: readonly State[];
  /** Every one must hold for the upstream execution (Kestra's `conditions`, MultipleConditions apart). */
  readonly conditions: readonly Condition[];
  /**
   * `preconditions` and MultipleConditions: each fires only once all its conditions have held
   * within its time window, across several upstream executions (state kept by the scheduler).
   */
  readonly multiple: readonly MultipleCondition[];
}

/** The request properties of an HTTP trigger, as Kestra's Request task takes them (templates kept, rendered per poll). */
export const HTTP_TRIGGER_REQUEST_PROPERTIES = ['uri', 'method', 'body', 'formData', 'contentType', 'headers', 'options'] as const;

/**
 * Kestra's HTTP polling trigger (`io.kestra.plugin.core.http.Trigger`): every `interval` the
 * scheduler sends the request, renders `responseCondition` with `response.*` and, when it is
 * truthy, starts one execution with the response as `trigger.uri/code/headers/body`. Not polled
 * while an execution it started runs (Kestra locks the trigger until that execution ends).
 */
export interface HttpTrigger extends TriggerBase {
  readonly kind: 'Http';
  /** Milliseconds between polls (`interval`, ISO-8601, default PT60S). */
  readonly intervalMs: number;
  /** uri, method, body, formData, contentType, headers, options as written (templates rendered per poll). */
  readonly request: JsonObject;
  /** Rendered with `response.statusCode`, `response.body` (text) and `response.headers`; truthy starts an execution. */
  readonly responseCondition: string;
  /** Disable the trigger once an execution it started ends in one of these states. */
  readonly stopAfter: readonly State[];
  /** Date conditions and Expression, judged before the request (Kestra's ConditionService does too). */
  readonly conditions: readonly Condition[];
}

export interface TriggerIssue {
  readonly path: string;
  readonly message: string;
  /** A Kafka trigger naming Chronicle's own topics or consumer groups: refused at deploy (see `reservedKafkaNameIssue`). */
  readonly reserved?: true;
  /** Refused at deploy as well (a run option no start would accept). */
  readonly refusedAtDeploy?: true;
}

export type RawTrigger = { readonly [key: string]: JsonValue };
