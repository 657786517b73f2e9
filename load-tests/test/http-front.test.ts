/**
 * The front door of `npm start` (scripts/http-front.mjs) against a stub upstream standing in for
 * workerd: what it must guarantee whatever workerd does with its connections. Fast and exact; the
 * real server under load is test/local-server.test.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFront } from '../../scripts/http-front.mjs';

interface Stub {
  url: URL;
  connections: number;
  inFlight: number;
  mostInFlight: number;
  seen: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** An upstream that answers every request after `delayMs`, counting connections and concurrent requests. */
async function stubUpstream(delayMs: number): Promise<Stub> {
  const stub = { connections: 0, inFlight: 0, mostInFlight: 0, seen: [] as http.IncomingHttpHeaders[] } as Stub;
  const server = http.createServer((req, res) => {
    stub.seen.push(req.headers);
    stub.inFlight++;
    stub.mostInFlight = Math.max(stub.mostInFlight, stub.inFlight);
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        stub.inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
      }, delayMs),
    );
  });
  server.on('connection', () => stub.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  stub.close = () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return stub;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(delayMs: number, maxUploads?: number) {
  const stub = await stubUpstream(delayMs);
  const front = await startFront({ host: '127.0.0.1', port: 0, upstream: stub.url, ...(maxUploads ? { maxUploads } : {}) });
  cleanups.push(
    () => front.close(),
    () => stub.close(),
  );
  return { stub, front };
}

describe('the front door (scripts/http-front.mjs)', () => {
  it('gives every request its own upstream connection, even when the client reuses one', async () => {
    const { stub, front } = await setup(0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve, reject) => {
        http
          .get(new URL(`/r${i}`, front.url), { agent }, (res) => {
            expect(res.statusCode).toBe(200);
            res.resume().on('end', resolve);
          })
          .on('error', reject);
      });
    }
    agent.destroy();
    expect(stub.connections).toBe(5);
    expect(stub.seen.map((h) => h.connection)).toEqual(Array(5).fill('close'));
  });

  it('lets at most maxUploads requests with a body into the upstream at once, and answers them all', async () => {
    const { stub, front } = await setup(50, 3);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(new URL(`/predict?i=${i}`, front.url), { method: 'POST', body: 'x'.repeat(1000) }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(12).fill(200));
    expect(stub.mostInFlight).toBe(3);
  });

  it('sends GET requests in straight away, past uploads that wait', async () => {
    const { stub, front } = await setup(300, 1);
    const uploads = Array.from({ length: 3 }, () => fetch(new URL('/predict', front.url), { method: 'POST', body: 'x' }));
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const page = await fetch(new URL('/', front.url));
    expect(page.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(600); // not behind the three 300-ms uploads
    expect((await Promise.all(uploads)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(stub.mostInFlight).toBe(2); // one upload and the page
  });

  it('sets CF-Connecting-IP from the connection, not from the client', async () => {
    const { stub, front } = await setup(0);
    await fetch(new URL('/', front.url), { headers: { 'CF-Connecting-IP': '203.0.113.9' } });
    expect(stub.seen[0]!['cf-connecting-ip']).toBe('127.0.0.1');
  });

  it('answers 502 in the API error shape when the upstream is gone', async () => {
    const { stub, front } = await setup(0);
    await stub.close();
    const res = await fetch(new URL('/healthz', front.url));
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('local_server_error');
  });
});
