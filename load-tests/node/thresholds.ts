/** The k6 thresholds (load-tests/shared/plan.ts SLO) applied to a Node run's results. */
import { SLO } from '../shared/plan.js';
import { percentile, type ArrivalResult, type Stats } from './arrival.js';

export interface Verdict {
  /** The k6 threshold it mirrors, e.g. "http_req_duration{route:predict} p(95)<100". */
  threshold: string;
  value: string;
  ok: boolean;
}

function checksRate(stats: Stats[]): { passed: number; total: number } {
  let passed = 0;
  let total = 0;
  for (const s of stats) {
    for (const [ok, bad] of Object.values(s.checks)) {
      passed += ok;
      total += ok + bad;
    }
  }
  return { passed, total };
}

export function evaluate(result: ArrivalResult): Verdict[] {
  const routes = Object.values(result.byRoute);
  const sent = routes.reduce((n, s) => n + s.sent, 0);
  const failed = routes.reduce((n, s) => n + s.failed, 0);
  const failedRate = sent === 0 ? 1 : failed / sent;
  const checks = checksRate(routes);
  const verdicts: Verdict[] = [
    {
      threshold: `http_req_failed rate<${SLO.maxFailedRate}`,
      value: `${(failedRate * 100).toFixed(2)}% (${failed}/${sent})`,
      ok: sent > 0 && failedRate < SLO.maxFailedRate,
    },
    {
      threshold: `checks rate==${SLO.checksRate}`,
      value: `${checks.total === 0 ? 0 : ((checks.passed / checks.total) * 100).toFixed(2)}% (${checks.passed}/${checks.total})`,
      ok: checks.total > 0 && checks.passed === checks.total,
    },
  ];
  const predict = result.byRoute.predict;
  if (predict) {
    const p95 = percentile(predict.latencies, 95);
    const p99 = percentile(predict.latencies, 99);
    verdicts.push(
      { threshold: `http_req_duration{route:predict} p(95)<${SLO.predict.p95}`, value: `${p95.toFixed(1)} ms`, ok: p95 < SLO.predict.p95 },
      { threshold: `http_req_duration{route:predict} p(99)<${SLO.predict.p99}`, value: `${p99.toFixed(1)} ms`, ok: p99 < SLO.predict.p99 },
    );
  }
  const home = result.byRoute.home;
  if (home) {
    const p95 = percentile(home.latencies, 95);
    verdicts.push({
      threshold: `http_req_duration{route:home} p(95)<${SLO.home.p95}`,
      value: `${p95.toFixed(1)} ms`,
      ok: p95 < SLO.home.p95,
    });
  }
  verdicts.push({
    threshold: `dropped_iterations count==${SLO.maxDroppedIterations}`,
    value: String(result.dropped),
    ok: result.dropped <= SLO.maxDroppedIterations,
  });
  return verdicts;
}

export const passes = (verdicts: Verdict[]) => verdicts.every((v) => v.ok);
