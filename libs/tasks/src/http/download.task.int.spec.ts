import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';
import { filenameFromHeader } from './download.task.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
let server: Server;
let base = '';
beforeAll(async () => {
  io = await ioTestServices('http_download');
  server = createServer((req, res) => {
    if (req.url === '/data.csv') return void res.end('a,b\n1,2\n');
    if (req.url === '/named') return void res.writeHead(200, { 'content-disposition': 'attachment; filename="report.json"' }).end('{}');
    if (req.url === '/empty') return void res.end();
    if (req.url === '/moved') return void res.writeHead(302, { location: '/data.csv' }).end('moved');
    if (req.url === '/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      return void req.on('end', () => res.end(`${req.headers['content-type']}|${req.headers.authorization}|${body}`));
    }
    return void res.writeHead(404).end('nope');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await io.close();
});

const run = (properties: Record<string, unknown>) => runnerOf('http.Download')!(io.context('http.Download', properties as never).context);

// Kestra: core/src/test/java/io/kestra/plugin/core/http/DownloadTest.java
describe('http.Download', () => {
  it('stores the body in the task run\'s storage, keeping the extension; outputs code, length and headers', async () => {
    const out = await run({ uri: `${base}/data.csv` });
    expect(out).toMatchObject({ code: 200, length: 8, headers: { 'content-length': ['8'] } });
    expect(String(out.uri)).toMatch(/^kestra:\/\/\/company\/team\/etl\/executions\/e1\/tasks\/t1\/e1\.1\/[0-9a-f-]{36}\.csv$/);
    expect((await io.services.storage.get(String(out.uri))).toString()).toBe('a,b\n1,2\n');
  });

  it('names the file from Content-Disposition (contentDisposition test)', async () => {
    expect(String((await run({ uri: `${base}/named` })).uri)).toMatch(/\/report\.json$/);
    expect(filenameFromHeader(`attachment; filename*=UTF-8''na%C3%AFve.txt`)).toBe('naïve.txt');
    expect(filenameFromHeader('attachment; filename="../../etc/passwd"')).toBe('passwd');
  });

  it('fails on an error status unless allowFailed, and on an empty body unless failOnEmptyResponse is false (error, noResponse tests)', async () => {
    await expect(run({ uri: `${base}/missing` })).rejects.toThrow("Failed http request with response code '404'");
    expect(await run({ uri: `${base}/missing`, allowFailed: true })).toMatchObject({ code: 404, length: 4 });
    await expect(run({ uri: `${base}/empty` })).rejects.toThrow('No response from server');
    expect(await run({ uri: `${base}/empty`, failOnEmptyResponse: false })).toMatchObject({ code: 200, length: 0 });
  });

  // AbstractHttp.request (core/src/main/java/io/kestra/plugin/core/http/AbstractHttp.java): Download builds its request as Request does.
  it('sends formData url-encoded with contentType and basic authentication (options.basicAuthUser/basicAuthPassword)', async () => {
    const out = await run({ uri: `${base}/echo`, method: 'POST', formData: { a: '1', b: 'x y' }, options: { basicAuthUser: 'ada', basicAuthPassword: 's3cret' } });
    expect((await io.services.storage.get(String(out.uri))).toString()).toBe(
      `application/x-www-form-urlencoded;charset=UTF-8|Basic ${Buffer.from('ada:s3cret').toString('base64')}|a=1&b=x+y`,
    );
  });

  it('follows redirects unless options.followRedirects is false (RequestOptions.followRedirects)', async () => {
    expect(await run({ uri: `${base}/moved` })).toMatchObject({ code: 200, length: 8 });
    expect(await run({ uri: `${base}/moved`, options: { followRedirects: false } })).toMatchObject({ code: 302, length: 5 });
  });
});
