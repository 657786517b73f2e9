/**
 * A dry run of the k6 script (load-tests/k6/predict.ts) in Node, for machines where k6 cannot be
 * installed: the script is bundled with esbuild (as k6 strips its types) against small stand-ins for
 * the k6 modules it imports (k6, k6/http, k6/data, k6/execution; synchronous HTTP through a worker
 * thread, as k6's http is synchronous), then, against a running server:
 *   - each scenario's init context runs (fixtures opened, SharedArrays built, options computed) and
 *     its options are checked: one scenario named as selected, k6's threshold syntax, tags in the
 *     thresholds that requests really carry;
 *   - setup() and one smoke() walk (GET / and every fixture) run, and traffic() for two cycles of
 *     the default mix, with every check the script makes counted.
 * It does not measure anything: k6's own scheduling is k6's. It proves the script's requests,
 * fixtures and checks work against the real worker.
 */
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

const K6_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../k6');

/** The worker thread doing the HTTP: the main thread blocks on Atomics.wait until it answers. */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, signal } = workerData;
port.on('message', async (req) => {
  let out;
  try {
    let body = req.body;
    if (req.file) {
      body = new FormData();
      body.append(req.file.field, new Blob([req.file.data], { type: req.file.contentType }), req.file.filename);
    }
    const started = performance.now();
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body });
    const text = await res.text();
    out = { status: res.status, body: text, headers: Object.fromEntries(res.headers), duration: performance.now() - started };
  } catch (error) {
    out = { status: 0, body: null, headers: {}, error: String(error), duration: 0 };
  }
  port.postMessage(out);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});`;

interface SentRequest {
  method: string;
  url: string;
  tags: Record<string, string>;
  status: number;
}

interface CheckTally {
  passed: number;
  failed: number;
  failures: string[];
}

function createShim(env: Record<string, string>) {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  const sent: SentRequest[] = [];
  const checks: CheckTally = { passed: 0, failed: 0, failures: [] };
  const scenario = {
    name: env.SCENARIO ?? 'smoke',
    executor: '',
    startTime: Date.now(),
    progress: 0,
    iterationInInstance: 0,
    iterationInTest: 0,
  };
  let initContext = true;

  type FileData = { data: ArrayBuffer | string; filename?: string; content_type?: string };
  const request = (
    method: string,
    url: string,
    body: unknown,
    params: { headers?: Record<string, string>; tags?: Record<string, string> } = {},
  ) => {
    if (initContext) throw new Error('k6: http requests are not allowed in the init context');
    const message: Record<string, unknown> = { method, url, headers: params.headers ?? {} };
    if (typeof body === 'string') message.body = body;
    else if (body && typeof body === 'object') {
      const entries = Object.entries(body as Record<string, FileData>);
      if (entries.length !== 1) throw new Error('dry run: one multipart field expected');
      const [field, file] = entries[0]!;
      message.file = { field, data: file.data, filename: file.filename, contentType: file.content_type };
    }
    Atomics.store(signal, 0, 0);
    port1.postMessage(message);
    Atomics.wait(signal, 0, 0, 30_000);
    const answer = receiveMessageOnPort(port1)?.message as
      { status: number; body: string | null; headers: Record<string, string>; error?: string } | undefined;
    if (!answer) throw new Error(`dry run: no answer from ${method} ${url} within 30 s`);
    sent.push({ method, url, tags: { scenario: scenario.name, ...(params.tags ?? {}) }, status: answer.status });
    return {
      status: answer.status,
      body: answer.body,
      headers: answer.headers,
      error: answer.error ?? '',
      json: () => JSON.parse(answer.body ?? 'null') as unknown,
    };
  };

  const k6 = {
    check(value: unknown, sets: Record<string, (v: unknown) => boolean>, tags?: Record<string, string>) {
      let all = true;
      for (const [name, fn] of Object.entries(sets)) {
        const ok = Boolean(fn(value));
        all &&= ok;
        if (ok) checks.passed++;
        else {
          checks.failed++;
          if (checks.failures.length < 10) checks.failures.push(`${name} (${JSON.stringify(tags ?? {})})`);
        }
      }
      return all;
    },
    fail(message?: string): never {
      throw new Error(`k6 fail(): ${message}`);
    },
    sleep() {},
  };
  const http = {
    get: (url: string, params?: Parameters<typeof request>[3]) => request('GET', url, undefined, params),
    post: (url: string, body: unknown, params?: Parameters<typeof request>[3]) => request('POST', url, body, params),
    file: (data: ArrayBuffer | string, filename?: string, contentType?: string): FileData => ({
      data,
      filename,
      content_type: contentType,
    }),
  };
  class SharedArray<T> {
    constructor(name: string, make: () => T[]) {
      if (!initContext) throw new Error('k6: SharedArray must be built in the init context');
      const items = JSON.parse(JSON.stringify(make())) as T[];
      if (!Array.isArray(items)) throw new Error(`SharedArray ${name}: the function must return an array`);
      // Only length, indexing and for-of work on a real SharedArray: hide the array methods.
      const view: Record<number | string | symbol, unknown> = { length: items.length, [Symbol.iterator]: () => items[Symbol.iterator]() };
      items.forEach((item, i) => (view[i] = item));
      return view;
    }
  }
  const open = (file: string, mode?: 'b') => {
    if (!initContext) throw new Error('k6: open() is only available in the init context');
    const bytes = readFileSync(file.startsWith('file:') ? fileURLToPath(file) : path.resolve(K6_DIR, file));
    return mode === 'b' ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes.toString('utf8');
  };
  return {
    modules: { k6, http, SharedArray, exec: { scenario, instance: {}, vu: {}, test: {} } },
    globals: { __ENV: env, open },
    sent,
    checks,
    scenario,
    endInit: () => (initContext = false),
    close: () => void worker.terminate(),
  };
}

const shimPlugin: Plugin = {
  name: 'k6-shim',
  setup(b) {
    b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'k6-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'k6-shim' }, (args) => {
      const m = 'globalThis.__k6shim';
      const contents: Record<string, string> = {
        k6: `export const check = ${m}.k6.check, fail = ${m}.k6.fail, sleep = ${m}.k6.sleep; export default ${m}.k6;`,
        'k6/http': `export default ${m}.http;`,
        'k6/data': `export const SharedArray = ${m}.SharedArray;`,
        'k6/execution': `export default ${m}.exec;`,
      };
      if (!(args.path in contents)) return { errors: [{ text: `the dry run has no stand-in for ${args.path}` }] };
      return { contents: contents[args.path], loader: 'js' };
    });
  },
};

const METRIC = /^([a-z_][a-z0-9_]*)(?:\{([^{}]+)\})?$/;
const EXPRESSION = /^(avg|min|max|med|count|rate|value|p\(\d+(?:\.\d+)?\))\s*(<|<=|>|>=|==|===|!=)\s*-?\d+(?:\.\d+)?$/;

interface ScriptModule {
  options: {
    scenarios?: Record<string, { executor: string; exec?: string }>;
    thresholds?: Record<string, (string | { threshold: string })[]>;
  };
  setup?: () => unknown;
  smoke?: () => void;
  traffic?: () => void;
}

/** Returns problems found (empty = the script works against the server). */
export async function dryRunK6(baseUrl: string, log: (line: string) => void = console.log): Promise<string[]> {
  const problems: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'k6-dry-run-'));
  try {
    // import.meta.resolve: every k6 module lives in K6_DIR, so resolve against it (the bundle runs elsewhere).
    const bundled = await build({
      entryPoints: [path.join(K6_DIR, 'predict.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      plugins: [shimPlugin],
      define: { 'import.meta.resolve': 'globalThis.__k6resolve' },
      logLevel: 'silent',
    });
    const file = path.join(dir, 'predict.mjs');
    writeFileSync(file, bundled.outputFiles[0]!.text);

    const runs: {
      scenario: string;
      env: Record<string, string>;
      exercise: (m: ScriptModule, shim: ReturnType<typeof createShim>) => void;
    }[] = [
      {
        scenario: 'smoke',
        env: {},
        exercise: (m) => {
          m.setup?.();
          m.smoke!();
        },
      },
      {
        scenario: 'load',
        env: { RATE: '50' },
        exercise: (m, shim) => {
          for (let i = 0; i < 20; i++) {
            shim.scenario.iterationInTest = i;
            m.traffic!();
          }
        },
      },
      {
        scenario: 'stress',
        env: { RATE: '40', MIX: 'pixels,png' },
        exercise: (m, shim) => {
          // 45 s in: the second step (rate 40).
          shim.scenario.startTime = Date.now() - 45_000;
          for (let i = 0; i < 4; i++) {
            shim.scenario.iterationInTest = i;
            m.traffic!();
          }
        },
      },
      {
        scenario: 'spike',
        env: { RATE: '20', MIX: 'jpeg' },
        exercise: (m, shim) => {
          shim.scenario.startTime = Date.now() - 50_000; // in the spike
          for (let i = 0; i < 3; i++) {
            shim.scenario.iterationInTest = i;
            m.traffic!();
          }
        },
      },
    ];

    for (const [index, run] of runs.entries()) {
      const env = { BASE_URL: baseUrl, SCENARIO: run.scenario, ...run.env };
      const shim = createShim(env);
      const g = globalThis as Record<string, unknown>;
      g.__k6shim = shim.modules;
      g.__ENV = shim.globals.__ENV;
      g.open = shim.globals.open;
      g.__k6resolve = (specifier: string) => pathToFileURL(path.resolve(K6_DIR, specifier)).href;
      try {
        const m = (await import(`${pathToFileURL(file).href}?run=${index}`)) as ScriptModule;
        shim.endInit();
        const scenarios = Object.keys(m.options.scenarios ?? {});
        if (scenarios.length !== 1 || scenarios[0] !== run.scenario)
          problems.push(`${run.scenario}: options.scenarios is ${JSON.stringify(scenarios)}`);
        const exec = m.options.scenarios?.[run.scenario]?.exec ?? 'default';
        if (!(exec in m)) problems.push(`${run.scenario}: exec function "${exec}" is not exported`);
        const thresholds = m.options.thresholds ?? {};
        for (const [metric, list] of Object.entries(thresholds)) {
          if (!METRIC.test(metric)) problems.push(`${run.scenario}: threshold metric "${metric}" is not k6 syntax`);
          for (const t of list) {
            const expression = typeof t === 'string' ? t : t.threshold;
            if (!EXPRESSION.test(expression)) problems.push(`${run.scenario}: threshold "${metric}: ${expression}" is not k6 syntax`);
          }
        }
        run.exercise(m, shim);
        // Tags in thresholds that no request carried (only for the tags the script sets itself).
        const unmatched = Object.keys(thresholds).filter((metric) => {
          const filter = METRIC.exec(metric)?.[2];
          if (!filter) return false;
          const wanted = filter.split(',').map((kv) => kv.split(':') as [string, string]);
          if (wanted.some(([k]) => k === 'step' || k === 'phase')) return false; // time slices: only some are reached here
          return !shim.sent.some((r) => wanted.every(([k, v]) => r.tags[k] === v));
        });
        const kinds = [...new Set(shim.sent.map((r) => r.tags.payload).filter(Boolean))].join(', ');
        const slices = [...new Set(shim.sent.map((r) => r.tags.step ?? r.tags.phase).filter(Boolean))].join(', ');
        log(
          `  k6 ${run.scenario.padEnd(6)}: ${shim.sent.length} requests (${kinds}${slices ? `; tagged ${slices}` : ''}), checks ${shim.checks.passed} passed, ${shim.checks.failed} failed; ${Object.keys(thresholds).length} thresholds${unmatched.length ? `; no request matched ${unmatched.join(', ')}` : ''}`,
        );
        if (run.scenario !== 'stress' && run.scenario !== 'spike')
          for (const u of unmatched) problems.push(`${run.scenario}: no request matched threshold ${u}`);
        if (shim.checks.failed) problems.push(`${run.scenario}: checks failed: ${shim.checks.failures.join('; ')}`);
        if (shim.checks.passed === 0) problems.push(`${run.scenario}: no check ran`);
        const bad = shim.sent.filter((r) => r.status !== 200);
        if (bad.length)
          problems.push(
            `${run.scenario}: ${bad.length} answers were not 200 (${bad
              .slice(0, 3)
              .map((r) => `${r.method} ${r.url} ${r.status}`)
              .join(', ')})`,
          );
      } catch (error) {
        problems.push(`${run.scenario}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        shim.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

// Standalone: BASE_URL=http://127.0.0.1:8787 tsx load-tests/node/k6-dry-run.ts
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = await dryRunK6(process.env.BASE_URL ?? 'http://127.0.0.1:8787');
  for (const p of problems) console.log(`  problem: ${p}`);
  console.log(problems.length ? 'k6 dry run: FAILED' : 'k6 dry run: the script works against the server');
  process.exit(problems.length ? 1 : 0);
}
