import { All, Controller, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isTerminal, parseTriggers, webhookCallAllowed, webhookKeyOf, type FlowDefinition, type JsonObject, type TriggerDefinition, type WebhookTrigger } from '@chronicle/domain';
import { executionIdFor, type CreatedExecution, type FlowHead } from '@chronicle/use-cases';
import { newId } from '@chronicle/runtime';
import { toExecutionView, type ExecutionView, type ReadModelQueries } from '@chronicle/read-model';
import { CLOCK, EXECUTION_ADMISSION, FLOWS, LIVE_UPDATES, READ_MODEL, START_TRIGGERED_EXECUTION, TRIGGER_STATE_CACHE, type StartTriggeredExecutionUseCase } from '../gateway.tokens.js';
import type { TriggerStateCache } from '@chronicle/composition';
import type { ExecutionAdmission } from '../admission/execution-admission.js';
import type { LiveUpdates } from '../live/live-updates.js';
import { ExecutionPresenter } from '../rest/execution-presenter.js';
import { hideValues, hideValuesDeep, SecretMasking } from '../secrets/secret-masking.js';
import { WEBHOOK_OPTIONS, type WebhookOptions } from './webhook.options.js';
import { WebhookRateLimiter } from './webhook-rate-limiter.js';
import { checkSignature, webhookPath, WEBHOOK_TIMESTAMP_HEADER } from './webhook-signature.js';
import { watchForEnd, type EndWatch } from './wait-for-end.js';
import { keptWebhookHeaders } from './webhook-headers.js';
import { apiError, errorBody, isUnavailable, mapError } from '../errors/error-mapping.js';
import { CodedError, errorCodeOf } from '@chronicle/errors';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { WEBHOOK_CONTENT_SECURITY_POLICY } from '../http/security-headers.middleware.js';
import { shapeWebhookResponse } from './webhook-response.js';
import type { FlowRepository, Secrets } from '@chronicle/use-cases';
import { SECRETS } from '@chronicle/composition';
import type { Clock } from '@chronicle/runtime';

// Kestra answers `Flow not found` for an unknown flow; the same answer for a wrong key or a disabled trigger leaks nothing.
const NOT_FOUND = errorBody(apiError('ROUTE_NOT_FOUND', 'Flow not found, or no webhook of it with this key'));

/**
 * Kestra's webhook path. The flow's `Webhook` trigger (its `key`) authorises the call, not an
 * API token. An unknown flow, a wrong key and a disabled trigger all answer the same 404.
 */
@Controller('api/v1/executions/webhook')
export class WebhookController {
  private readonly limiter: WebhookRateLimiter;

  constructor(
    @Inject(FLOWS) private readonly flows: FlowRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(START_TRIGGERED_EXECUTION) private readonly startTriggered: StartTriggeredExecutionUseCase,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    // Triggers disabled at run time (disableTrigger, stopAfter): a webhook of one answers 404 like a disabled one.
    @Inject(TRIGGER_STATE_CACHE) private readonly runtimeDisabled: TriggerStateCache,
    @Inject(EXECUTION_ADMISSION) private readonly admission: ExecutionAdmission,
    // A key may be an expression reading a secret (`{{ secret('WEBHOOK_KEY') }}`), as in Kestra.
    @Inject(SECRETS) private readonly secretStore: Secrets,
    // A webhook's caller holds a key, often a third party's: SECRET input values (a flow's default
    // too) never reach it, in the execution nor in the outputs, as in every other answer.
    @Inject(ExecutionPresenter) private readonly presenter: ExecutionPresenter,
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
  ) {
    this.limiter = new WebhookRateLimiter(options.ratePerSecond);
  }

  @ApiRoute({ tag: 'Webhooks', summary: 'Start an execution from a Webhook trigger (its key authenticates; optional HMAC signature)', body: 'any', returns: 'Execution', public: true, errors: { 429: 'Rate limit, or at capacity (CHRONICLE_MAX_IN_FLIGHT): nothing started, retry after Retry-After', 503: 'Past the memory ceiling (CHRONICLE_MAX_RSS_MB): nothing started, retry after Retry-After' } })
  @All(':namespace/:flowId/:key')
  async receive(
    @Req() req: Request & { rawBody?: Buffer },
    @Res() res: Response,
    @Param('namespace') namespace: string,
    @Param('flowId') flowId: string,
    @Param('key') key: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    // Whatever path spelling routed here (Express matches case-insensitively), the answer is sandboxed.
    res.setHeader('Content-Security-Policy', WEBHOOK_CONTENT_SECURITY_POLICY);
    if (!['GET', 'POST', 'PUT'].includes(req.method)) throw new CodedError('METHOD_NOT_ALLOWED', 'webhooks accept GET, POST and PUT');
    // Admission first: under overload the refusal costs no read (429 + Retry-After, see ExecutionAdmission).
    const slot = this.admission.take();
    let handedOver = false;
    try {
      const found = await this.findTrigger(namespace, flowId, key);
      if (!found) return void res.status(404).json(NOT_FOUND);
      const { trigger, head } = found;
      const retryAfter = await this.limiter.take(`${namespace}/${flowId}/${key}`);
      if (retryAfter !== undefined) return void res.status(429).set('Retry-After', String(retryAfter)).json(errorBody(apiError('RATE_LIMITED', `webhook rate limit reached; retry in ${retryAfter} s`)));
      let idempotencyKey = req.header('idempotency-key');
      if (trigger.secret) {
        const check = checkSignature(
          trigger.secret,
          {
            method: req.method,
            path: webhookPath(namespace, flowId, key),
            rawQuery: rawQueryOf(req),
            rawBody: req.rawBody ?? Buffer.alloc(0),
            signature: req.header(trigger.signatureHeader),
            timestamp: req.header(WEBHOOK_TIMESTAMP_HEADER),
          },
          Date.parse(this.clock.now()),
          this.options.signatureToleranceSeconds,
          trigger.signatureHeader,
        );
        if (!check.ok) return void res.status(401).json(errorBody(apiError('UNAUTHENTICATED', check.message)));
        // The execution id comes from what was signed (not from an unsigned Idempotency-Key): a replay is the same execution.
        idempotencyKey = `signed:${check.digest}`;
      }
      const { wait: waitParam, ...parameters } = query;
      const variables = { body: bodyOf(req), headers: keptWebhookHeaders(req.headers), parameters: parameters as JsonObject };
      // Kestra's WebhookController: a call its conditions refuse starts nothing, answered 204.
      if (!webhookCallAllowed(trigger, { id: flowId, namespace, revision: head.latest.revision }, variables, this.clock.now())) return void res.status(204).end();
      const wait = waitParam === 'true' || waitParam === '' || trigger.wait;
      const webhookKey = `webhook:${trigger.id}:${idempotencyKey ?? newId()}`;
      // Listening before the execution exists: a new execution's end cannot pass unseen, so the
      // read model is read only for one that existed already (a repeated idempotency key).
      const watchedId = executionIdFor(namespace, flowId, webhookKey);
      const watch = wait ? watchForEnd(this.live, watchedId, this.options.waitTimeoutMs) : undefined;
      let started;
      try {
        handedOver = true;
        started = await this.admission.startWith(slot, () => this.startTriggered({
          namespace,
          flowId,
          trigger,
          idempotencyKey: webhookKey,
          head,
          variables,
          inputs: queryInputs(parameters),
        }));
      } catch (error) {
        watch?.cancel();
        throw error;
      }
      const { execution } = started;
      const base = `${req.protocol}://${req.get('host')}`;
      if (!watch) return void res.status(200).json(await this.presenter.present(toExecutionView(execution), req));
      const ended = await this.endOf(watch, started, watchedId);
      if (!ended) return void res.status(202).json({ id: execution.id, state: 'RUNNING', message: `still running after ${this.options.waitTimeoutMs} ms; follow it at ${base}/api/v1/executions/${execution.id}`, url: `${base}/api/v1/executions/${execution.id}` });
      if (trigger.returnOutputs) {
        const values = await this.secrets.values(ended);
        return void answerShaped(res, { id: ended.id, state: ended.state, outputs: hideValuesDeep(ended.outputs, values), ...(ended.error ? { error: hideValues(ended.error, values) } : {}) });
      }
      res.status(200).json(await this.presenter.present(ended, req));
    } finally {
      if (!handedOver) slot.release();
    }
  }

  /**
   * The started execution's end (undefined after the wait timeout). One that ended in its
   * creation's own write (every task ran locally in its first step) is answered with that decided
   * state at once, as the live updates would tell it once the read side has projected it.
   */
  private endOf(watch: EndWatch, { execution, created, afterFirstStep }: CreatedExecution, watchedId: string): Promise<ExecutionView | undefined> {
    if (created && afterFirstStep && isTerminal(afterFirstStep.state)) {
      watch.cancel();
      return Promise.resolve(toExecutionView(afterFirstStep));
    }
    if (execution.id !== watchedId) {
      // A wrapped flow: its outermost wrapper's execution started in its place (another id).
      watch.cancel();
      const wrapped = watchForEnd(this.live, execution.id, this.options.waitTimeoutMs);
      wrapped.checkCurrent(this.readModel);
      return wrapped.ended;
    }
    if (!created) watch.checkCurrent(this.readModel);
    return watch.ended;
  }

  private async findTrigger(namespace: string, flowId: string, key: string): Promise<{ trigger: WebhookTrigger; head: FlowHead } | undefined> {
    // An unknown or malformed flow is the same 404; an unreachable store is a 503 (the filter maps it).
    // Kept in memory between calls, dropped when the flow changes (see FlowRepository.cachedHead).
    const head = await this.flows.cachedHead(namespace, flowId).catch((error: unknown) => {
      if (isUnavailable(error)) throw error;
      return undefined;
    });
    const flow = head?.latest;
    if (!head || !flow || flow.definition.extra?.disabled === true) return undefined;
    const host = { secret: ({ namespace: ns, key: name }: { namespace: string; key: string }) => this.secretStore.get(ns, name) };
    const flowRef = { id: flowId, namespace, revision: flow.revision };
    const now = this.clock.now();
    // Kestra renders each key against its flow (`{{ flow.id }}`, `{{ secret('X') }}`); a key that does not render matches nothing.
    const trigger = triggersOf(flow.definition).find((t): t is WebhookTrigger => {
      if (t.kind !== 'Webhook' || t.disabled) return false;
      const expected = webhookKeyOf(t, flowRef, host, now);
      return expected !== undefined && safeEqual(expected, key);
    });
    // Disabled at run time (disableTrigger, stopAfter): the same 404 as a disabled trigger.
    if (!trigger || (await this.runtimeDisabled.isDisabled({ namespace, flowId, triggerId: trigger.id }))) return undefined;
    return { trigger, head };
  }
}

/** A flow revision never changes: its triggers are parsed once per revision, not once per call. */
const parsedTriggers = new WeakMap<FlowDefinition, readonly TriggerDefinition[]>();
function triggersOf(definition: FlowDefinition): readonly TriggerDefinition[] {
  let triggers = parsedTriggers.get(definition);
  if (!triggers) parsedTriggers.set(definition, (triggers = parseTriggers(definition.triggers).triggers));
  return triggers;
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function bodyOf(req: Request & { rawBody?: Buffer }): JsonObject[string] {
  const body = Buffer.isBuffer(req.body) ? rawBodyText(req.body) : (req.body as unknown);
  if (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0 && !req.rawBody?.length)) return null;
  return body as JsonObject[string];
}

/**
 * A body of a type no parser reads (e.g. application/octet-stream) as a string: its text when
 * it is valid UTF-8 without NUL (which Postgres cannot store in JSON), else its base64.
 */
function rawBodyText(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') || text.includes('\u0000') ? bytes.toString('base64') : text;
}

/** The query string exactly as sent (what a timestamped signature covers). */
function rawQueryOf(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at + 1);
}

/**
 * Flow inputs from the query string, Kestra style: `?inputs.name=value` (or `inputs[name]=value`).
 * They override what the trigger's own `inputs:` render from the body (`{{ trigger.body... }}`):
 * precedence, lowest first, is the flow's defaults, the trigger's rendered `inputs:`, the query.
 * They stay in `trigger.parameters` too. Values are strings, typed like form fields by the flow's inputs.
 */
export function queryInputs(parameters: Record<string, unknown>): Record<string, unknown> | undefined {
  const inputs: Record<string, unknown> = {};
  // An extended query parser makes `inputs[name]=` an object already.
  const nested = parameters.inputs;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) Object.assign(inputs, nested);
  for (const [name, value] of Object.entries(parameters)) {
    const id = /^inputs(?:\.(.+)|\[(.+)\])$/.exec(name);
    if (id) inputs[(id[1] ?? id[2])!] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  return Object.keys(inputs).length > 0 ? inputs : undefined;
}

/** `returnOutputs`: the answer the flow's outputs shape (see webhook-response.ts); 502 when they are malformed. */
function answerShaped(res: Response, ended: { id: string; state: string; outputs?: unknown; error?: string }): void {
  try {
    const shaped = shapeWebhookResponse(ended);
    res.status(shaped.status).set(shaped.headers).type(shaped.contentType).send(shaped.body);
  } catch (error) {
    if (errorCodeOf(error) !== 'WEBHOOK_RESPONSE_INVALID') throw error;
    res.status(502).json({ ...errorBody(mapError(error)), id: ended.id });
  }
}
