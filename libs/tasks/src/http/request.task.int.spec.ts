import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTask } from './request.task.js';
import { taskContext } from '../test-support/task-test-context.js';

let server: Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];

/** A local HTTP server on 127.0.0.1 with a route per behaviour under test. */
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'abc' });
        return res.end(JSON.stringify({ ok: true, got: body ? JSON.parse(body) : null }));
      }
      if (req.url === '/text') return res.writeHead(201, { 'content-type': 'text/plain' }).end('created');
      if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
      if (req.url === '/slow-headers') return void setTimeout(() => res.writeHead(200).end('late'), 2_000);
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part');
        return void setTimeout(() => res.end('rest'), 2_000);
      }
      if (req.url === '/form') return res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.headers['content-type']}|${body}`);
      if (req.url === '/auth') return res.writeHead(200, { 'content-type': 'text/plain' }).end(String(req.headers.authorization));
      if (req.url === '/moved') return res.writeHead(301, { location: '/text' }).end();
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('Request task (against a local HTTP server)', () => {
  it('POSTs a JSON body with headers; outputs code, headers (lists) and the parsed JSON body; records metrics', async () => {
    const t = taskContext('Request', { uri: `${base}/json`, method: 'POST', headers: { 'x-api-key': 'k1' }, body: '{"n":1}' });
    const outputs = await requestTask(t.context);
    expect(outputs).toMatchObject({ uri: `${base}/json`, code: 200, body: { ok: true, got: { n: 1 } } });
    expect((outputs.headers as Record<string, string[]>)['x-trace']).toEqual(['abc']);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', headers: expect.objectContaining({ 'x-api-key': 'k1', 'content-type': 'application/json' }) });
    expect(t.metrics.map((m) => `${m.type} ${m.name}`)).toEqual(['timer response.duration', 'counter response.length']);
  });

  it('GETs by default and keeps a non-JSON body as text', async () => {
    await expect(requestTask(taskContext('Request', { uri: `${base}/text` }).context)).resolves.toMatchObject({ code: 201, body: 'created' });
    expect(seen.at(-1)?.method).toBe('GET');
  });

  it('fails on a 4xx/5xx status unless allowFailed', async () => {
    await expect(requestTask(taskContext('Request', { uri: `${base}/missing` }).context)).rejects.toThrow(`http GET ${base}/missing failed with status 404: no such thing`);
    await expect(requestTask(taskContext('Request', { uri: `${base}/missing`, options: { allowFailed: true } }).context)).resolves.toMatchObject({ code: 404, body: 'no such thing' });
  });

  it('sends formData url-encoded, or multipart when the content type says so', async () => {
    await expect(requestTask(taskContext('Request', { uri: `${base}/form`, method: 'POST', formData: { a: '1', b: 'x y' } }).context)).resolves.toMatchObject({
      body: 'application/x-www-form-urlencoded;charset=UTF-8|a=1&b=x+y',
    });
    const multipart = await requestTask(taskContext('Request', { uri: `${base}/form`, method: 'POST', contentType: 'multipart/form-data', formData: { a: '1' } }).context);
    expect(multipart.body).toMatch(/^multipart\/form-data; boundary=.*\|.*name="a"\r\n\r\n1\r\n/s);
  });

  // Kestra's HttpInterface.RequestOptions, applied in AbstractHttp.request (core/src/main/java/io/kestra/plugin/core/http/).
  it('authenticates with options.basicAuthUser/basicAuthPassword, and follows redirects unless options.followRedirects is false', async () => {
    const auth = await requestTask(taskContext('Request', { uri: `${base}/auth`, options: { basicAuthUser: 'ada', basicAuthPassword: 's3cret' } }).context);
    expect(auth.body).toBe(`Basic ${Buffer.from('ada:s3cret').toString('base64')}`);
    await expect(requestTask(taskContext('Request', { uri: `${base}/moved` }).context)).resolves.toMatchObject({ code: 201, body: 'created' });
    await expect(requestTask(taskContext('Request', { uri: `${base}/moved`, options: { followRedirects: false } }).context)).resolves.toMatchObject({ code: 301 });
  });

  it('fails with the timeout that ran out: waiting for the response, or reading the body', async () => {
    await expect(requestTask(taskContext('Request', { uri: `${base}/slow-headers`, options: { connectTimeout: 'PT0.2S' } }).context)).rejects.toThrow(
      'no response within the connect timeout of 200 ms',
    );
    await expect(requestTask(taskContext('Request', { uri: `${base}/slow-body`, options: { readTimeout: 'PT0.2S' } }).context)).rejects.toThrow(
      'reading the response took longer than the read timeout of 200 ms',
    );
    await expect(requestTask(taskContext('Request', { uri: `${base}/slow-headers`, timeout: 'PT0.2S' }).context)).rejects.toThrow('exceeded its timeout of 200 ms');
  });

  it('stops when the attempt is killed', async () => {
    const t = taskContext('Request', { uri: `${base}/slow-headers` });
    const result = requestTask(t.context);
    setTimeout(() => t.abort(), 50);
    await expect(result).rejects.toThrow('task run killed');
  });

  it('refuses a bad uri or method before sending anything', async () => {
    await expect(requestTask(taskContext('Request', { uri: 'file:///etc/passwd' }).context)).rejects.toThrow('uri must be http or https');
    await expect(requestTask(taskContext('Request', { uri: 'not a url' }).context)).rejects.toThrow('uri is not a valid URL');
    await expect(requestTask(taskContext('Request', { uri: `${base}/json`, method: 'FETCH' }).context)).rejects.toThrow('method must be one of');
  });
});
