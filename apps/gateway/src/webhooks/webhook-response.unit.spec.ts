import { describe, expect, it } from 'vitest';
import { shapeWebhookResponse, WebhookResponseError } from './webhook-response.js';

const ended = (outputs: unknown, state = 'SUCCESS') => shapeWebhookResponse({ id: 'e1', state, outputs });

describe('webhook answers shaped by the flow (returnOutputs)', () => {
  it('without a webhookResponse output: 200 with the outputs as JSON; 500 with the error when it failed', () => {
    expect(ended({ a: 1 })).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', headers: {}, body: '{"a":1}' });
    expect(shapeWebhookResponse({ id: 'e1', state: 'FAILED', error: 'boom' })).toMatchObject({ status: 500, body: '{"id":"e1","state":"FAILED","error":"boom"}' });
  });

  it('json, text, html and bytes, with status, content type and headers', () => {
    expect(ended({ webhookResponse: { status: 201, json: { ok: true }, headers: { 'X-Request-Id': 'r1' } } })).toEqual({
      status: 201, contentType: 'application/json; charset=utf-8', headers: { 'X-Request-Id': 'r1' }, body: '{"ok":true}',
    });
    expect(ended({ webhookResponse: { text: 'hi' } })).toMatchObject({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'hi' });
    expect(ended({ webhookResponse: { html: '<b>hi</b>' } })).toMatchObject({ contentType: 'text/html; charset=utf-8', body: '<b>hi</b>' });
    const bytes = ended({ webhookResponse: { base64: Buffer.from([0, 1, 2, 255]).toString('base64'), contentType: 'image/png' } });
    expect(bytes.contentType).toBe('image/png');
    expect([...(bytes.body as Buffer)]).toEqual([0, 1, 2, 255]);
    expect(ended({ webhookResponse: { status: 204 } })).toMatchObject({ status: 204, body: '' });
  });

  it('refuses dangerous headers and malformed responses, naming what is wrong', () => {
    const refused = (spec: unknown) => {
      try {
        ended({ webhookResponse: spec });
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookResponseError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ text: 'x', headers: { 'Set-Cookie': 'session=1; Domain=.example.com' } })).toMatch(/may not set the header Set-Cookie/);
    expect(refused({ html: 'x', headers: { 'Content-Security-Policy': "default-src *" } })).toMatch(/Content-Security-Policy/);
    expect(refused({ text: 'x', headers: { 'Access-Control-Allow-Origin': '*' } })).toMatch(/Access-Control-Allow-Origin/);
    expect(refused({ text: 'x', headers: { 'X-Evil': 'a\r\nSet-Cookie: b' } })).toMatch(/one-line/);
    expect(refused({ text: 'x', status: 99 })).toMatch(/status must be an integer from 100 to 599/);
    expect(refused({ text: 'x', json: {} })).toMatch(/one body/);
    expect(refused({ body: 'x' })).toMatch(/unknown field body/);
    expect(refused({ base64: '%%%' })).toMatch(/base64/);
  });
});
