/**
 * An open-loop, constant-arrival-rate load generator: k6's constant-arrival-rate executor in Node.
 *
 * Request i is due at start + i / rate, whatever happened to the earlier ones. When it is due and
 * the in-flight budget (k6's maxVUs) is spent, it is dropped and counted, as k6 counts
 * dropped_iterations. Latency runs from writing the request to the last byte of the answer (k6's
 * http_req_duration) on keep-alive connections opened during the warm-up.
 *
 * Why not autocannon's own rate limit: its overallRate is a per-connection quota per second, so all
 * of a second's requests leave back to back at the start of that second (measured: 100 req/s with
 * 10 connections arrived as 100 requests in the first 100 ms, then nothing for 900 ms), which
 * measures a burst, not a steady rate. autocannon does the closed-loop capacity run (capacity.ts).
 */
import http from 'node:http';
import type { RequestSpec } from './requests.js';

export interface ArrivalOptions {
  baseUrl: string;
  /** Requests per second. */
  rate: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds at the same rate before measuring (connections, JIT, caches); answers still checked. */
  warmup: number;
  /** The in-flight budget (k6 maxVUs). */
  maxInFlight: number;
  /** A request not answered within this many ms counts as failed. */
  timeoutMs: number;
  /** Cycled through in order: the i-th request sent is sequence[i % length]. */
  sequence: RequestSpec[];
}

export interface Stats {
  /** Answers (and network errors) of requests sent in the measured window. */
  count: number;
  /** Latencies in ms of the measured window, sorted. */
  latencies: number[];
  /** Status outside 200-399 or no answer (k6 http_req_failed), over every request sent. */
  failed: number;
  sent: number;
  /** check name -> [passed, failed], over every answer. */
  checks: Record<string, [number, number]>;
  /** Examples of what went wrong (at most 5). */
  problems: string[];
}

export interface ArrivalResult {
  rate: number;
  duration: number;
  /** Answers per second in the measured window (all kinds). */
  achievedRate: number;
  dropped: number;
  /** How late the generator sent requests, ms (p99 and max): large values mean the generator lagged. */
  lagP99: number;
  lagMax: number;
  byKind: Record<string, Stats>;
  byRoute: Record<string, Stats>;
}

const emptyStats = (): Stats => ({ count: 0, latencies: [], failed: 0, sent: 0, checks: {}, problems: [] });

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Linear interpolation between closest ranks.
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export function runArrival(options: ArrivalOptions): Promise<ArrivalResult> {
  const url = new URL(options.baseUrl);
  // Idle keep-alive sockets close after 4 s on our side: workerd closes them after 5 s, and reusing one
  // the server is closing at that moment fails the request with ECONNRESET (a client-side race).
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight, maxFreeSockets: options.maxInFlight, timeout: 4000 });
  const byKind: Record<string, Stats> = {};
  const byRoute: Record<string, Stats> = {};
  const lags: number[] = [];
  const total = Math.round(options.rate * (options.warmup + options.duration));
  const interval = 1000 / options.rate;
  let issued = 0;
  let inFlight = 0;
  let dropped = 0;
  let measuredAnswers = 0;

  const record = (spec: RequestSpec, measured: boolean, latency: number, status: number, body: string | null, error?: string) => {
    const failed = error !== undefined || status < 200 || status >= 400;
    const results = spec.check(status, body);
    for (const stats of [(byKind[spec.kind] ??= emptyStats()), (byRoute[spec.route] ??= emptyStats())]) {
      stats.sent++;
      if (failed) {
        stats.failed++;
        if (stats.problems.length < 5) stats.problems.push(`${spec.name}: ${error ?? `HTTP ${status} ${body?.slice(0, 160) ?? ''}`}`);
      }
      for (const [name, ok] of Object.entries(results)) {
        const tally = (stats.checks[name] ??= [0, 0]);
        tally[ok ? 0 : 1]++;
        if (!ok && !failed && stats.problems.length < 5)
          stats.problems.push(`${spec.name}: check "${name}" failed: ${body?.slice(0, 160) ?? ''}`);
      }
      if (measured) {
        stats.count++;
        if (error === undefined) stats.latencies.push(latency);
      }
    }
    if (measured) measuredAnswers++;
  };

  return new Promise((resolve) => {
    const start = performance.now() + 20;
    const measureFrom = start + options.warmup * 1000;

    const send = (spec: RequestSpec, scheduledAt: number) => {
      const sentAt = performance.now();
      lags.push(sentAt - scheduledAt);
      const measured = scheduledAt >= measureFrom;
      inFlight++;
      let done = false;
      const finish = (status: number, body: string | null, error?: string) => {
        if (done) return;
        done = true;
        inFlight--;
        record(spec, measured, performance.now() - sentAt, status, body, error);
        if (issued >= total && inFlight === 0) finishRun();
      };
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port || 80,
          method: spec.method,
          path: spec.path,
          headers: { ...spec.headers, ...(spec.body ? { 'content-length': String(spec.body.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          res.on('error', (error) => finish(0, null, error.message));
        },
      );
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer in ${options.timeoutMs} ms`)));
      req.on('error', (error) => finish(0, null, error.message));
      req.end(spec.body);
    };

    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      while (issued < due) {
        const i = issued++;
        const scheduledAt = start + i * interval;
        if (inFlight >= options.maxInFlight) {
          if (scheduledAt >= measureFrom) dropped++;
          continue;
        }
        send(options.sequence[i % options.sequence.length]!, scheduledAt);
      }
      if (issued < total) setTimeout(tick, Math.max(0, start + issued * interval - performance.now()));
      else if (inFlight === 0) finishRun();
    };

    let finished = false;
    const finishRun = () => {
      if (finished) return;
      finished = true;
      agent.destroy();
      for (const stats of [...Object.values(byKind), ...Object.values(byRoute)]) stats.latencies.sort((a, b) => a - b);
      lags.sort((a, b) => a - b);
      resolve({
        rate: options.rate,
        duration: options.duration,
        achievedRate: measuredAnswers / options.duration,
        dropped,
        lagP99: percentile(lags, 99),
        lagMax: lags[lags.length - 1] ?? 0,
        byKind,
        byRoute,
      });
    };
    setTimeout(tick, 20);
  });
}
