/**
 * Closed-loop capacity with autocannon: N connections, each sending its next request as soon as the
 * last one is answered, cycling through the same requests; every answer checked. The throughput is
 * the most the server does at that concurrency (where k6's stress scenario breaks), and the latency
 * is queueing at saturation: not the SLO figure, which comes from the constant-rate runs.
 */
import autocannon from 'autocannon';
import type { RequestSpec } from './requests.js';

export interface CapacityResult {
  connections: number;
  duration: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  answers: number;
  failed: number;
  checksFailed: number;
  /** Set by the runner when the server exited under this run. */
  crashed?: boolean;
}

export async function runCapacity(
  baseUrl: string,
  sequence: RequestSpec[],
  connections: number,
  duration: number,
): Promise<CapacityResult> {
  let answers = 0;
  let checksFailed = 0;
  const requests = sequence.map((spec) => ({
    method: spec.method,
    path: spec.path,
    headers: spec.headers,
    ...(spec.body ? { body: spec.body } : {}),
    onResponse: (status: number, body: string) => {
      answers++;
      if (!Object.values(spec.check(status, body)).every(Boolean)) checksFailed++;
    },
  }));
  const result = await autocannon({ url: baseUrl, connections, duration, timeout: 10, requests });
  return {
    connections,
    duration,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    answers,
    failed: result.errors + result.non2xx,
    checksFailed,
  };
}
