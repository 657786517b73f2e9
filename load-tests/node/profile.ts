/**
 * Where the worker's CPU goes per request: a V8 CPU profile of our worker's isolate in workerd, taken
 * through wrangler dev's DevTools inspector while a constant rate of one kind of request runs.
 *
 *   tsx load-tests/node/profile.ts --kind pixels [--rate 40] [--duration 10] [--out pixels.cpuprofile]
 *
 * The worker is the same snapshot `npm run load` serves, bundled unminified so functions keep their
 * names. Prints the isolate's busy time per request (sampled: JS, WebAssembly, GC and the runtime's
 * native calls on the isolate's thread), the inclusive time of the worker's stages per request, and
 * the functions with the most self time. `--out` writes the profile for Chrome DevTools.
 * The sampling itself costs time; read the shares, not the absolute figures.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { REQUEST_KINDS, type RequestKind } from '../shared/plan.js';
import { runArrival } from './arrival.js';
import { homeRequest, loadManifest, requestsOf } from './requests.js';
import { startServer } from './server.js';

// Node 20 has WebSocket only behind a flag: run again with it.
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  const again = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

const { values: args } = parseArgs({
  options: {
    kind: { type: 'string', default: 'pixels' },
    rate: { type: 'string', default: '40' },
    duration: { type: 'string', default: '10' },
    out: { type: 'string' },
  },
});
const kind = args.kind as RequestKind;
if (!REQUEST_KINDS.includes(kind)) throw new Error(`--kind must be one of ${REQUEST_KINDS.join(', ')}`);
const rate = Number(args.rate);
const duration = Number(args.duration);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Our worker's stages, by function name in the unminified bundle (worker/src and model/). */
const STAGES = [
  ['read the request (readPredictInput)', 'readPredictInput'],
  ['  JSON pixels validation (parsePixels)', 'parsePixels'],
  ['decode the image (decodeImage)', 'decodeImage'],
  ['shrink large images (shrink)', 'shrink'],
  ['preprocess and segment (prepareDigits)', 'prepareDigits'],
  ['  ink map (toInkMap)', 'toInkMap'],
  ['  segmentation (segmentDigits)', 'segmentDigits'],
  ['inference (classifyPrepared)', 'classifyPrepared'],
  ['  tfjs layers predict', 'predict'],
  ['home page (ASSETS.fetch)', 'fetch'],
] as const;

function analyze(profile: Profile, requests: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    busy += dt;
    const key = (n: ProfileNode) =>
      `${n.callFrame.functionName || '(anonymous)'}${n.callFrame.url ? ` ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}` : ''}`;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)!.callFrame.functionName;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  });
  const per = (ms: number) => `${(ms / requests).toFixed(2)} ms/request (${((ms / busy) * 100).toFixed(0)}%)`;
  console.log(`\nisolate busy (sampled): ${per(busy)} over ${requests} requests`);
  console.log('stages (inclusive):');
  for (const [label, name] of STAGES) {
    const ms = inclusive.get(name);
    if (ms) console.log(`  ${label.padEnd(42)} ${per(ms)}`);
  }
  const ours = (inclusive.get('readPredictInput') ?? 0) + (inclusive.get('recognizeInput') ?? 0);
  if (ours > 0) console.log(`  ${'the rest (Hono, CORS, body limit, response, GC)'.padEnd(42)} ${per(busy - ours)}`);
  console.log('most self time:');
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${per(ms).padEnd(28)} ${name}`);
}

const manifest = await loadManifest();
const sequence = kind === 'home' ? [homeRequest] : await requestsOf(kind, manifest);
const inspectorPort = 9229 + Math.floor(Math.random() * 500);
const server = await startServer({
  wranglerArgs: ['--log-level', 'warn', '--inspector-port', String(inspectorPort)],
  build: false,
  live: false,
  unminified: true,
});
try {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  // wrangler's inspector proxy wants an Origin it allows (DevTools sends one); undici's WebSocket takes headers.
  const WebSocketWithHeaders = WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket;
  const ws = new WebSocketWithHeaders(targets[0]!.webSocketDebuggerUrl, { headers: { Origin: 'http://localhost' } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let nextId = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.onmessage = (event: MessageEvent) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  };
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve as (r: unknown) => void);
      ws.send(JSON.stringify({ id, method, params }));
    });

  // Warm up (JIT, model load), then profile a constant rate of this kind.
  await runArrival({ baseUrl: server.baseUrl, rate, duration: 3, warmup: 0, maxInFlight: 50, timeoutMs: 10_000, sequence });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 250 });
  await call('Profiler.start');
  const result = await runArrival({ baseUrl: server.baseUrl, rate, duration, warmup: 0, maxInFlight: 50, timeoutMs: 10_000, sequence });
  const { profile } = await call<{ profile: Profile }>('Profiler.stop');
  ws.close();
  const answered = Object.values(result.byRoute).reduce((n, s) => n + s.sent, 0);
  const wrong = Object.values(result.byRoute).reduce((n, s) => n + Object.values(s.checks).reduce((m, [, bad]) => m + bad, 0), 0);
  console.log(`profiled ${answered} ${kind} requests at ${rate}/s (${wrong} failed checks) on ${server.command}`);
  analyze(profile, answered);
  if (args.out) {
    writeFileSync(args.out, JSON.stringify(profile));
    console.log(`wrote ${args.out} (open it in Chrome DevTools, Performance panel)`);
  }
} finally {
  await server.stop();
}
