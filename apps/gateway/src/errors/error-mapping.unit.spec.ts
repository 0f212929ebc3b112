import { FlowNotFoundError } from '@chronicle/use-cases';
import {
  ExecutionNotFoundError, ExpressionError, FlowValidationError, IllegalTransitionError, InputValidationError, TaskRunNotFoundError,
} from '@chronicle/domain';
import { EventStoreUnavailableError, WrongExpectedVersionError } from '@chronicle/event-store';
import { describe, expect, it } from 'vitest';
import { CodedError } from '@chronicle/errors';
import { API_ERROR_STATUS, BadUserInputError, ForbiddenError, UnauthenticatedError } from './api-errors.js';
import { isUnavailable, mapError } from './error-mapping.js';

describe('mapError', () => {
  it('maps invalid flows, inputs and expressions to BAD_USER_INPUT, keeping the message and the issues', () => {
    const flow = new FlowValidationError([{ path: 'tasks[0].type', message: 'unknown task type io.example.Nope', line: 5, column: 11 }]);
    expect(mapError(flow)).toEqual({ code: 'BAD_USER_INPUT', reason: 'FLOW_INVALID', message: flow.message, details: { issues: flow.issues } });
    expect(flow.message).toMatch(/line 5/);

    const inputs = new InputValidationError([{ input: 'count', message: 'expected INT, got string "many"' }]);
    expect(mapError(inputs)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INPUTS_INVALID', message: inputs.message, details: { issues: inputs.issues } });

    const expression = new ExpressionError('inputs.x |', 'a filter name is expected');
    expect(mapError(expression)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EXPRESSION_INVALID', message: expression.message });
    // By the code, not the class: a plain object (an error from another copy of a module) maps the same.
    expect(mapError({ code: 'CURSOR_INVALID', message: 'bad cursor' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CURSOR_INVALID', message: 'bad cursor' });
  });

  it('maps the not-found codes of the domain and of the application to NOT_FOUND with their message', () => {
    for (const error of [
      new FlowNotFoundError('nope', 'missing'),
      new ExecutionNotFoundError('e1'),
      new TaskRunNotFoundError('e1', 'e1.9'),
    ]) {
      expect(mapError(error)).toEqual({ code: 'NOT_FOUND', reason: error.code, message: error.message });
    }
  });

  it('maps concurrency and state-machine conflicts to CONFLICT', () => {
    const version = new WrongExpectedVersionError('execution-e1', 3n, 4n);
    expect(mapError(version)).toEqual({ code: 'CONFLICT', reason: 'WRONG_EXPECTED_VERSION', message: version.message });
    const transition = new IllegalTransitionError('execution e1', 'SUCCESS', 'RUNNING');
    expect(mapError(transition)).toEqual({ code: 'CONFLICT', reason: 'ILLEGAL_TRANSITION', message: transition.message });
  });

  it('maps an unavailable event store to SERVICE_UNAVAILABLE without the driver\'s message', () => {
    const mapped = mapError(new EventStoreUnavailableError('connect ECONNREFUSED 10.0.0.7:5432'));
    expect(mapped).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'EVENT_STORE_UNAVAILABLE' });
    expect(mapped.message).not.toContain('10.0.0.7');
  });

  it('maps the gateway\'s own errors by their code too, with message and details', () => {
    expect(mapError(new UnauthenticatedError())).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNAUTHENTICATED' });
    expect(mapError(new ForbiddenError('the VIEWER role may not deploy'))).toEqual({ code: 'FORBIDDEN', reason: 'FORBIDDEN', message: 'the VIEWER role may not deploy' });
    expect(mapError(new BadUserInputError('too big', { limit: 10 }))).toEqual({ code: 'BAD_USER_INPUT', reason: 'REQUEST_INVALID', message: 'too big', details: { limit: 10 } });
    expect(mapError(new CodedError('EXECUTION_NOT_ENDED', 'execution x is RUNNING'))).toEqual({ code: 'CONFLICT', reason: 'EXECUTION_NOT_ENDED', message: 'execution x is RUNNING' });
  });

  it('hides unknown errors behind a generic INTERNAL_SERVER_ERROR that leaks nothing of the original', () => {
    const secret = 'relation "chronicle_events" does not exist at /srv/app/node_modules/pg/lib/client.js password=hunter2';
    const unknown = [
      new Error(secret),
      new TypeError(secret),
      Object.assign(new Error(secret), { code: 'EACCES' }),
      Object.assign(new Error(secret), { code: 'KAFKA_START_FAILED', issues: [secret] }),
      new CodedError('EVENT_STORE_DUPLICATE_EVENT_ID', secret),
      new CodedError('CONFIG_INVALID', secret, { details: { secret } }),
      { message: secret, code: 42 },
      secret,
      42,
      null,
      undefined,
    ];
    for (const error of unknown) {
      const mapped = mapError(error);
      expect(mapped.code).toBe('INTERNAL_SERVER_ERROR');
      expect(mapped.reason).toBe('INTERNAL');
      expect(mapped.message).toBe('internal error; the server log has the details');
      expect(JSON.stringify(mapped)).not.toContain('hunter2');
      expect(API_ERROR_STATUS[mapped.code]).toBe(500);
    }
  });

  it('maps an unreachable Postgres or Kafka, also wrapped, to SERVICE_UNAVAILABLE (503) instead of a 500 or a swallowed 404', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const typeorm = Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: refused });
    const kafka = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' });
    for (const error of [refused, shutdown, typeorm, kafka, new Error('Connection terminated unexpectedly'), new Error('wrapped', { cause: shutdown })]) {
      expect(isUnavailable(error)).toBe(true);
      expect(mapError(error).code).toBe('SERVICE_UNAVAILABLE');
    }
    expect(API_ERROR_STATUS.SERVICE_UNAVAILABLE).toBe(503);
    expect(isUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isUnavailable(new Error('boom'))).toBe(false);
  });
});
