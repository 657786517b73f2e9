/**
 * `npm run load`: the k6 plan (load-tests/k6/predict.ts) measured with Node, for machines without k6.
 *
 * Starts `wrangler dev` on a free loopback port (or uses BASE_URL), waits for /healthz, then for each
 * request kind (GET /, POST /predict with JSON pixels, PNG upload, JPEG upload), with the same
 * fixtures, checks and thresholds as the k6 script:
 *   1. a short step search at constant arrival rate for the highest rate meeting every threshold;
 *   2. confirmation: that rate held for --duration seconds, --repeats times, every repeat passing
 *      (else 10% lower), reporting the median of each figure;
 *   3. closed-loop capacity with autocannon (--capacity-connections connections).
 * Prints req/s and p50/p95/p99 per route, CPU per request per process, and exits 1 when a goal rate
 * (--goals, default pixels=300,png=100) is not met or, with --rate, when a threshold is missed.
 *
 *   npm run load                                   # search + confirm + capacity, every kind
 *   npm run load -- --only pixels,png              # some kinds
 *   npm run load -- --rate pixels=300,png=100      # fixed rates: pass/fail on the thresholds
 *   npm run load -- --rate 150 --mix home:1,pixels:6,png:2,jpeg:1   # one mixed run (k6's load scenario)
 *   npm run load:smoke                             # CI: every fixture at 20 req/s for 10 s
 *   BASE_URL=http://127.0.0.1:8787 npm run load    # against a server already running
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_MIX, REQUEST_KINDS, SLO, mixSequence, parseMix, vusFor, type RequestKind } from '../shared/plan.js';
import { percentile, runArrival, type ArrivalResult } from './arrival.js';
import { runCapacity, type CapacityResult } from './capacity.js';
import { busyOthers, cpuBetween, sampleAllProcesses, sampleCpu, type CpuReport } from './cpu.js';
import { dryRunK6 } from './k6-dry-run.js';
import { homeRequest, loadManifest, requestsOf, type RequestSpec } from './requests.js';
import { startLocalServer, startServer, type Server } from './server.js';
import { evaluate, passes, type Verdict } from './thresholds.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    rate: { type: 'string' },
    mix: { type: 'string' },
    duration: { type: 'string' },
    'step-duration': { type: 'string', default: '8' },
    warmup: { type: 'string', default: '3' },
    repeats: { type: 'string' },
    goals: { type: 'string', default: 'pixels=300,png=100' },
    capacity: { type: 'boolean' },
    'no-capacity': { type: 'boolean' },
    'capacity-connections': { type: 'string', default: '8' },
    'capacity-duration': { type: 'string', default: '10' },
    wrangler: { type: 'string', default: '' },
    build: { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    k6: { type: 'boolean' },
    'no-k6': { type: 'boolean' },
    direct: { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`usage: npm run load [-- options]
  --only KINDS            kinds to test: ${REQUEST_KINDS.join(',')} (default all)
  --rate N | K=N,...      fixed rate(s) instead of the search; pass/fail on the thresholds
  --mix SPEC              with --rate N: one run of a weighted mix (default mix ${DEFAULT_MIX})
  --duration S            seconds measured per confirmation or fixed run (default 20; smoke 10)
  --step-duration S       seconds measured per search step (default 8)
  --warmup S              seconds at the rate before measuring (default 3)
  --repeats N             confirmation / fixed runs per rate, medians reported (default 3; smoke 1)
  --goals K=N,...         rates the search must reach (default pixels=300,png=100)
  --capacity, --no-capacity   closed-loop autocannon capacity run per kind (default on for the search)
  --capacity-connections N, --capacity-duration S   (default 8, 10)
  --wrangler="ARGS"       extra wrangler dev arguments (default --log-level warn: no per-request
                          log line; --wrangler="--log-level info" measures with it)
  --build                 rebuild dist/public first (default: only when missing)
  --live                  serve the working tree with wrangler dev's own bundling and watching (default: a bundled snapshot,
                          so file changes during the run do not restart the worker)
  --json FILE             write every run's figures as JSON
  --direct                send the load to our worker's own workerd, skipping wrangler dev's proxy
                          (a development-only hop: about 2 ms of CPU per request, and a keep-alive race
                          that fails about 1 POST in a few thousand with 503)
  --serve                 measure the server npm start runs (scripts/serve.mjs: the same bundle in workerd
                          behind its Node front door, no wrangler) instead of wrangler dev
  --k6, --no-k6           also dry-run the k6 script's scenarios against the server (default on for --smoke)
  --smoke                 CI smoke: GET / and every fixture at 20 req/s for 10 s, once, and the k6 dry run
  BASE_URL=...            test a running server instead of starting wrangler dev`);
  process.exit(0);
}

const num = (text: string | undefined, fallback: number, name: string) => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not "${text}"`);
  return value;
};

function parseRates(text: string): Partial<Record<RequestKind, number>> | number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const rates: Partial<Record<RequestKind, number>> = {};
  for (const part of text.split(',')) {
    const [kind, value] = part.split('=');
    if (!REQUEST_KINDS.includes(kind as RequestKind) || !(Number(value) > 0))
      throw new Error(`bad --rate/--goals entry "${part}" (use e.g. pixels=300)`);
    rates[kind as RequestKind] = Number(value);
  }
  return rates;
}

const smoke = args.smoke;
const warmup = num(args.warmup, smoke ? 2 : 3, 'warmup');
const duration = num(args.duration, smoke ? 10 : 20, 'duration');
const stepDuration = num(args['step-duration'], 8, 'step-duration');
const repeats = Math.round(num(args.repeats, smoke ? 1 : 3, 'repeats'));
const goals = parseRates(args.goals) as Partial<Record<RequestKind, number>>;
const fixedRates = args.rate === undefined ? undefined : parseRates(args.rate);
const searching = !smoke && fixedRates === undefined;
const capacityOn = args['no-capacity'] ? false : (args.capacity ?? searching);
const kinds: RequestKind[] = args.only
  ? args.only.split(',').map((k) => {
      if (!REQUEST_KINDS.includes(k.trim() as RequestKind)) throw new Error(`unknown kind "${k}" in --only`);
      return k.trim() as RequestKind;
    })
  : typeof fixedRates === 'object'
    ? (Object.keys(fixedRates) as RequestKind[])
    : [...REQUEST_KINDS];

// ---------------------------------------------------------------------------------------------

interface RunRecord {
  label: string;
  rate: number;
  result: ArrivalResult;
  verdicts: Verdict[];
  pass: boolean;
  cpu: CpuReport;
  others: { pid: number; cores: number; command: string }[];
}

const runs: RunRecord[] = [];
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 1 : 0) : '-');
const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : percentile(sorted, 50);
};

async function measure(label: string, sequence: RequestSpec[], rate: number, seconds: number): Promise<RunRecord> {
  const processes = server.pids();
  const allBefore = sampleAllProcesses();
  const before = sampleCpu(processes);
  const result = await runArrival({
    baseUrl: target(),
    rate,
    duration: seconds,
    warmup,
    maxInFlight: vusFor(rate).maxVUs,
    timeoutMs: 10_000,
    sequence,
  });
  const after = sampleCpu(processes);
  const allAfter = sampleAllProcesses();
  const answers = Object.values(result.byRoute).reduce((n, s) => n + s.sent, 0);
  const cpu = cpuBetween(before, after, answers);
  const exclude = new Set([process.pid, ...processes.map((p) => p.pid)]);
  const others = busyOthers(allBefore, allAfter, (after.at - before.at) / 1000, exclude);
  const verdicts = evaluate(result);
  const exit = server.exited();
  if (exit !== undefined) verdicts.push({ threshold: 'the server stays up', value: `wrangler dev exited with code ${exit}`, ok: false });
  const record: RunRecord = { label, rate, result, verdicts, pass: passes(verdicts), cpu, others };
  runs.push(record);

  const routeFigures = Object.entries(result.byRoute)
    .map(
      ([route, s]) =>
        `${route} p50 ${fmt(percentile(s.latencies, 50))} p95 ${fmt(percentile(s.latencies, 95))} p99 ${fmt(percentile(s.latencies, 99))} ms`,
    )
    .join(' | ');
  const failed = Object.values(result.byRoute).reduce((n, s) => n + s.failed, 0);
  console.log(
    `  ${label.padEnd(7)} ${`${rate}/s`.padStart(7)} x ${seconds}s: ${result.achievedRate.toFixed(1)}/s answered, ${routeFigures}, failed ${failed}, dropped ${result.dropped}, generator lag p99 ${fmt(result.lagP99)} ms  ${record.pass ? 'PASS' : 'FAIL'}`,
  );
  if (!record.pass) {
    for (const v of verdicts.filter((x) => !x.ok)) console.log(`      missed: ${v.threshold} (got ${v.value})`);
    for (const s of Object.values(result.byKind)) for (const p of s.problems.slice(0, 3)) console.log(`      e.g. ${p}`);
    const failedAny = Object.values(result.byRoute).some((s) => s.failed > 0);
    const lines = server
      .output()
      .split('\n')
      .filter((l) => /reload|restart|change|error|✘|Logs were written/i.test(l) && !/Request\.cf|ENOTFOUND/.test(l));
    if (failedAny && lines.length) for (const l of lines.slice(-5)) console.log(`      wrangler: ${l.trim()}`);
  }
  if (exit !== undefined) {
    // A crash under load is a result (the step fails); start a fresh server for the next step.
    console.log(`      wrangler dev exited (code ${exit}) during this run; starting a new one`);
    server = await server.restart();
  }
  return record;
}

/**
 * Several runs at one rate, each on a fresh `wrangler dev` (unless BASE_URL): passes only if every
 * run passes. Fresh, because the local runtime itself degrades under sustained load: workerd's
 * resident size grows by several KB per request and its latency tail with it, the same with a
 * one-line worker answering "ok" (load-tests/RESULTS.md), so a run late in a long series measures
 * the local runtime's age more than our worker.
 */
async function confirm(label: string, sequence: RequestSpec[], rate: number): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (let i = 0; i < repeats; i++) {
    if (!process.env.BASE_URL) server = await server.restart();
    records.push(await measure(label, sequence, rate, duration));
  }
  return records;
}

const nice = (rate: number) =>
  rate >= 100 ? Math.round(rate / 10) * 10 : rate >= 20 ? Math.round(rate / 5) * 5 : Math.max(1, Math.round(rate));
const START: Record<RequestKind, number> = { home: 100, pixels: 100, png: 50, jpeg: 50 };
const MAX_RATE = 2000;

async function search(kind: RequestKind, sequence: RequestSpec[]): Promise<{ rate: number; confirmed: RunRecord[] }> {
  console.log(`\n${kind}: step search (${stepDuration} s steps after ${warmup} s warm-up)`);
  let pass = 0;
  let fail = Infinity;
  let rate = START[kind];
  // Up by doubling until a step misses a threshold; down by halving if the first one does.
  for (;;) {
    const ok = (await measure(kind, sequence, rate, stepDuration)).pass;
    if (ok) pass = Math.max(pass, rate);
    else fail = Math.min(fail, rate);
    if (ok && rate * 2 <= MAX_RATE && fail === Infinity) rate *= 2;
    else if (!ok && pass === 0 && rate > 5) rate = nice(rate / 2);
    else break;
  }
  // Bisect to within 10%.
  while (pass > 0 && fail !== Infinity && fail / pass > 1.1) {
    rate = nice((pass + fail) / 2);
    if (rate <= pass || rate >= fail) break;
    if ((await measure(kind, sequence, rate, stepDuration)).pass) pass = rate;
    else fail = rate;
  }
  if (pass === 0) return { rate: 0, confirmed: [] };
  // Confirm (each run on a fresh server, see confirm()): every repeat must pass; otherwise 10% lower,
  // down to half the searched rate (a longer run meets more of the rare slow answers than a step).
  const floor = pass / 2;
  while (pass >= floor) {
    console.log(`${kind}: confirming ${pass}/s (${repeats} x ${duration} s)`);
    const confirmed = await confirm(kind, sequence, pass);
    if (confirmed.every((r) => r.pass)) return { rate: pass, confirmed };
    const lower = nice(pass * 0.9);
    if (lower >= pass) break;
    pass = lower;
  }
  return { rate: 0, confirmed: [] };
}

interface Summary {
  kind: string;
  rate: number;
  goal?: number;
  records: RunRecord[];
  capacity?: CapacityResult;
}

function summarize(summaries: Summary[]): void {
  console.log(
    `\nResults (${[...commands].join('; ')}${args.direct ? "; load sent --direct to the worker's workerd" : ''}; median of ${repeats} run${repeats > 1 ? 's' : ''} of ${duration} s after ${warmup} s warm-up; latency in ms)`,
  );
  const header = [
    'kind',
    'route',
    'rate met',
    'answered/s',
    'p50',
    'p95',
    'p99',
    'max',
    'failed',
    'checks',
    'dropped',
    'capacity (closed loop)',
  ];
  const rows: string[][] = [];
  for (const s of summaries) {
    const stats = s.records.map((r) => r.result.byRoute[s.kind === 'home' ? 'home' : 'predict'] ?? Object.values(r.result.byRoute)[0]!);
    const pick = (p: number) => median(stats.map((x) => percentile(x.latencies, p)));
    const checks = s.records.flatMap((r) => r.verdicts.filter((v) => v.threshold.startsWith('checks'))).every((v) => v.ok);
    const failed = stats.reduce((n, x) => n + x.failed, 0);
    const dropped = s.records.reduce((n, r) => n + r.result.dropped, 0);
    const cap = s.capacity
      ? `${s.capacity.requestsPerSecond.toFixed(0)}/s at ${s.capacity.connections} conn (p50 ${s.capacity.p50} p99 ${s.capacity.p99}${s.capacity.failed || s.capacity.checksFailed ? `, ${s.capacity.failed} failed, ${s.capacity.checksFailed} bad answers` : ''}${s.capacity.crashed ? ', wrangler dev crashed' : ''})`
      : '-';
    rows.push([
      s.kind,
      s.kind === 'home' ? 'GET /' : 'POST /predict',
      s.records.length
        ? `${s.rate}/s${s.goal ? (s.rate >= s.goal ? ` (goal ${s.goal} met)` : ` (goal ${s.goal} MISSED)`) : ''}`
        : `none${s.goal ? ` (goal ${s.goal} MISSED)` : ''}`,
      s.records.length ? median(s.records.map((r) => r.result.achievedRate)).toFixed(1) : '-',
      fmt(pick(50)),
      fmt(pick(95)),
      fmt(pick(99)),
      fmt(median(stats.map((x) => x.latencies[x.latencies.length - 1] ?? NaN))),
      String(failed),
      s.records.length ? (checks ? '100%' : 'FAILED') : '-',
      String(dropped),
      cap,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));

  console.log('\nCPU per answered request, ms (median over those runs), and cores used:');
  for (const s of summaries) {
    if (!s.records.length) continue;
    const labels = [...new Set(s.records.flatMap((r) => Object.keys(r.cpu.perRequestMs)))];
    const parts = labels.map(
      (l) =>
        `${l} ${median(s.records.map((r) => r.cpu.perRequestMs[l] ?? NaN)).toFixed(2)} (${median(s.records.map((r) => r.cpu.cores[l] ?? NaN)).toFixed(2)} cores)`,
    );
    const machine = median(s.records.map((r) => r.cpu.machineCores));
    const other = median(s.records.map((r) => r.cpu.otherCores));
    console.log(
      `  ${s.kind.padEnd(7)} ${parts.join(', ')}; machine ${machine.toFixed(2)} of ${os.cpus().length} cores busy, ${other.toFixed(2)} by other processes`,
    );
  }
  const others = new Map<string, number[]>();
  for (const r of runs) for (const o of r.others) others.set(o.command, [...(others.get(o.command) ?? []), o.cores]);
  if (others.size) {
    console.log('\nOther processes busy during the runs (cores, median over the runs they were busy in):');
    for (const [command, cores] of [...others].sort((a, b) => median(b[1]) - median(a[1])).slice(0, 6)) {
      console.log(`  ${median(cores).toFixed(2)}  in ${cores.length}/${runs.length} runs  ${command}`);
    }
  } else {
    console.log('\nNo other process used more than 5% of a core during the runs.');
  }
}

// ---------------------------------------------------------------------------------------------

// wrangler dev logs a line per request by default: about 0.8 ms of wrangler's Node CPU per request on
// this machine (the log travels from workerd to Node over HTTP), a dev-only cost; keep it out unless asked.
const userWranglerArgs = args.wrangler.split(/\s+/).filter(Boolean);
const wranglerArgs = userWranglerArgs.some((a) => a.startsWith('--log-level'))
  ? userWranglerArgs
  : ['--log-level', 'warn', ...userWranglerArgs];
console.log(
  `load: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' ',
    )}; SLO: failed < ${SLO.maxFailedRate * 100}%, checks 100%, /predict p95 < ${SLO.predict.p95} ms and p99 < ${SLO.predict.p99} ms, GET / p95 < ${SLO.home.p95} ms, no dropped requests`,
);
const manifest = await loadManifest();
if (args.serve && (args.direct || args.live))
  throw new Error("--serve runs npm start's server: no --direct (it has no proxy to skip) or --live");
let server: Server = args.serve
  ? await startLocalServer({ build: args.build, extraArgs: ['--quiet'] })
  : await startServer({ wranglerArgs, build: args.build, live: args.live });
/** Where the load goes: wrangler dev's public port, or with --direct our worker's workerd behind it. */
function target(): string {
  if (!args.direct) return server.baseUrl;
  if (!server.directUrl)
    throw new Error("--direct: could not find the worker's own address in wrangler's log (BASE_URL servers have none)");
  return server.directUrl;
}
if (args.direct)
  console.log(`--direct: load goes to our worker's workerd at ${target()}, not through wrangler dev's proxy at ${server.baseUrl}`);
const commands = new Set([server.command.replace(/--port \d+/, '--port PORT')]);
let exitCode = 0;
const summaries: Summary[] = [];
try {
  if (server.model.version !== manifest.verifiedWith.version) {
    console.log(
      `note: the server's model (${server.model.version}) is not the one the fixtures were verified with (${manifest.verifiedWith.version}); a misread fixture fails the "digits are right" check`,
    );
  }
  const sequences: Record<RequestKind, RequestSpec[]> = {
    home: [homeRequest],
    pixels: await requestsOf('pixels', manifest),
    png: await requestsOf('png', manifest),
    jpeg: await requestsOf('jpeg', manifest),
  };

  if (smoke) {
    // Every fixture and the home page, interleaved.
    const sequence = [homeRequest, ...sequences.pixels, ...sequences.png, ...sequences.jpeg];
    const rate = typeof fixedRates === 'number' ? fixedRates : 20;
    console.log(`\nsmoke: GET / and ${sequence.length - 1} fixtures in turn at ${rate}/s`);
    const record = await measure('smoke', sequence, rate, duration);
    for (const v of record.verdicts) console.log(`  ${v.ok ? 'ok  ' : 'MISS'} ${v.threshold}: ${v.value}`);
    for (const [route, s] of Object.entries(record.result.byRoute)) {
      console.log(
        `  ${route}: ${s.count} answers measured, p50 ${fmt(percentile(s.latencies, 50))} p95 ${fmt(percentile(s.latencies, 95))} p99 ${fmt(percentile(s.latencies, 99))} ms`,
      );
    }
    if (!record.pass) exitCode = 1;
  } else if (fixedRates !== undefined && args.mix !== undefined) {
    if (typeof fixedRates !== 'number') throw new Error('--mix takes one total rate: --rate N');
    const mix = parseMix(args.mix);
    const order = mixSequence(mix);
    // The i-th request of a kind cycles through that kind's fixtures, as the k6 script does.
    const counters: Record<string, number> = {};
    const sequence: RequestSpec[] = [];
    const cycle = order.length * 12; // long enough for every fixture of each kind to come up
    for (let i = 0; i < cycle; i++) {
      const kind = order[i % order.length]!;
      const list = sequences[kind];
      const n = (counters[kind] = (counters[kind] ?? -1) + 1);
      sequence.push(list[n % list.length]!);
    }
    console.log(`\nmix ${args.mix} at ${fixedRates}/s (${repeats} x ${duration} s)`);
    const records = await confirm('mix', sequence, fixedRates);
    if (!records.every((r) => r.pass)) exitCode = 1;
    for (const kind of Object.keys(mix) as RequestKind[]) {
      summaries.push({
        kind,
        rate: fixedRates,
        records: records.map((r) => ({
          ...r,
          result: { ...r.result, byRoute: { [kind === 'home' ? 'home' : 'predict']: r.result.byKind[kind]! } },
        })),
      });
    }
    summarize(summaries);
  } else {
    // GET / last: in wrangler dev its subrequest floods wrangler's Node process with DevTools events,
    // which would slow whatever is measured next on the same server.
    const ordered = [...kinds].sort((a, b) => Number(a === 'home') - Number(b === 'home'));
    for (const [i, kind] of ordered.entries()) {
      // Each kind on a freshly started server (same snapshot), so no kind inherits another's backlog.
      if (i > 0) server = await server.restart();
      const goal = goals[kind];
      let summary: Summary;
      if (fixedRates !== undefined) {
        const rate = typeof fixedRates === 'number' ? fixedRates : fixedRates[kind]!;
        console.log(`\n${kind} at ${rate}/s (${repeats} x ${duration} s)`);
        const records = await confirm(kind, sequences[kind], rate);
        if (!records.every((r) => r.pass)) exitCode = 1;
        summary = { kind, rate, records };
      } else {
        const found = await search(kind, sequences[kind]);
        summary = { kind, rate: found.rate, records: found.confirmed, ...(goal ? { goal } : {}) };
        if (goal && found.rate < goal) exitCode = 1;
        if (found.rate === 0) exitCode = 1;
      }
      if (capacityOn) {
        const connections = Math.round(num(args['capacity-connections'], 8, 'capacity-connections'));
        const seconds = num(args['capacity-duration'], 10, 'capacity-duration');
        summary.capacity = await runCapacity(target(), sequences[kind], connections, seconds);
        const c = summary.capacity;
        const crashed = server.exited();
        console.log(
          `${kind}: capacity ${c.requestsPerSecond.toFixed(0)}/s with ${connections} connections (p50 ${c.p50} ms, p99 ${c.p99} ms, ${c.failed} failed, ${c.checksFailed} wrong answers)${crashed !== undefined ? `; wrangler dev exited (code ${crashed}) under it` : ''}`,
        );
        if (crashed !== undefined) {
          c.crashed = true;
          server = await server.restart();
        }
        if (c.failed || c.checksFailed) exitCode = 1;
      }
      summaries.push(summary);
    }
    summarize(summaries);
  }
  if (args['no-k6'] ? false : (args.k6 ?? smoke)) {
    console.log('\nk6 script dry run (load-tests/k6/predict.ts in Node with stand-ins for the k6 modules; no timing):');
    const problems = await dryRunK6(server.baseUrl);
    for (const p of problems) console.log(`  problem: ${p}`);
    console.log(problems.length ? '  k6 dry run FAILED' : '  every scenario builds, every request is answered 200 and every check passes');
    if (problems.length) exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await server.stop();
}

if (args.json) {
  const slim = runs.map((r) => ({
    label: r.label,
    rate: r.rate,
    pass: r.pass,
    achievedRate: r.result.achievedRate,
    dropped: r.result.dropped,
    lagP99: r.result.lagP99,
    routes: Object.fromEntries(
      Object.entries(r.result.byRoute).map(([route, s]) => [
        route,
        {
          count: s.count,
          failed: s.failed,
          p50: percentile(s.latencies, 50),
          p95: percentile(s.latencies, 95),
          p99: percentile(s.latencies, 99),
          max: s.latencies[s.latencies.length - 1],
        },
      ]),
    ),
    verdicts: r.verdicts,
    cpu: r.cpu,
    others: r.others,
  }));
  writeFileSync(
    args.json,
    `${JSON.stringify({ command: server.command, date: new Date().toISOString(), model: server.model, runs: slim, capacity: summaries.map((s) => ({ kind: s.kind, rate: s.rate, capacity: s.capacity })) }, null, 2)}\n`,
  );
  console.log(`wrote ${args.json}`);
}
console.log(exitCode === 0 ? '\nload: every threshold met' : '\nload: FAILED (see above)');
process.exit(exitCode);
