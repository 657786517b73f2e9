/**
 * The named scenarios, built from environment variables. Each returns the k6 scenario, the extra
 * thresholds it reports with, and the tags of a request started `elapsedMs` into the scenario
 * (stress tags each request with its arrival-rate step and spike with its phase, so the summary
 * shows the latency of each step or phase beside the thresholds).
 */
import type { Scenario } from 'k6/options';
import { SLO, vusFor } from '../shared/plan.ts';

export interface Plan {
  scenario: Scenario;
  thresholds: Record<string, string[]>;
  tagsAt(elapsedMs: number): Record<string, string>;
  /** What the run does, printed at the start. */
  summary: string;
}

export interface Settings {
  rate: number;
  duration: string;
  maxRate: number;
  step: number;
  spikeRate: number;
}

/** The thresholds of one tagged slice (a stress step, a spike phase) with the same limits as the whole. */
function sliceThresholds(tag: string, value: string): Record<string, string[]> {
  return {
    [`http_req_failed{${tag}:${value}}`]: [`rate<${SLO.maxFailedRate}`],
    [`checks{${tag}:${value}}`]: [`rate==${SLO.checksRate}`],
    [`http_req_duration{route:predict,${tag}:${value}}`]: [`p(95)<${SLO.predict.p95}`, `p(99)<${SLO.predict.p99}`],
  };
}

/** Stages -> the label of the stage a moment falls in (the first stage whose end is after it). */
function labelAt(stages: { duration: string; label: string }[], elapsedMs: number): string {
  let end = 0;
  for (const stage of stages) {
    end += seconds(stage.duration) * 1000;
    if (elapsedMs < end) return stage.label;
  }
  return stages[stages.length - 1]!.label;
}

/** "90s", "2m", "1m30s", "1h" -> seconds. */
export function seconds(duration: string): number {
  const parts = duration.match(/(\d+(?:\.\d+)?)(ms|h|m|s)/g);
  if (!parts || parts.join('') !== duration) throw new Error(`bad duration "${duration}" (use e.g. 30s, 2m, 1m30s)`);
  let total = 0;
  for (const part of parts) {
    const [, value, unit] = part.match(/(\d+(?:\.\d+)?)(ms|h|m|s)/)!;
    total += Number(value) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[unit!]!;
  }
  return total;
}

export const SCENARIOS = {
  /** A few users walking through every fixture and the home page, one request after another, for a minute. */
  smoke: (): Plan => ({
    scenario: { executor: 'constant-vus', vus: 3, duration: '1m', exec: 'smoke', gracefulStop: '10s' },
    thresholds: {},
    tagsAt: () => ({}),
    summary: '3 VUs for 1m, each walking through every fixture and GET /',
  }),

  /** The target rate, held: the SLO must hold at it. */
  load: (s: Settings): Plan => ({
    scenario: {
      executor: 'constant-arrival-rate',
      rate: s.rate,
      timeUnit: '1s',
      duration: s.duration,
      ...vusFor(s.rate),
      exec: 'traffic',
      gracefulStop: '10s',
    },
    thresholds: {},
    tagsAt: () => ({}),
    summary: `constant arrival rate ${s.rate}/s for ${s.duration}`,
  }),

  /**
   * A staircase of arrival rates, STEP apart up to MAX_RATE, each ramped to in 10s and held 30s.
   * Requests are tagged step:<rate>; the last step whose thresholds pass is the breaking point.
   * The run's overall thresholds are expected to fail once a step breaks.
   */
  stress: (s: Settings): Plan => {
    const steps: number[] = [];
    for (let r = s.step; r <= s.maxRate + 1e-9; r += s.step) steps.push(Math.round(r));
    const stages: { duration: string; target: number; label: string }[] = [];
    for (const r of steps) stages.push({ duration: '10s', target: r, label: String(r) }, { duration: '30s', target: r, label: String(r) });
    stages.push({ duration: '10s', target: 0, label: 'ramp-down' });
    const thresholds: Record<string, string[]> = {};
    for (const r of steps) Object.assign(thresholds, sliceThresholds('step', String(r)));
    return {
      scenario: {
        executor: 'ramping-arrival-rate',
        startRate: Math.min(steps[0]!, 1),
        timeUnit: '1s',
        stages: stages.map(({ duration, target }) => ({ duration, target })),
        ...vusFor(s.maxRate),
        exec: 'traffic',
        gracefulStop: '10s',
      },
      thresholds,
      tagsAt: (ms) => ({ step: labelAt(stages, ms) }),
      summary: `arrival rate in steps of ${s.step}/s up to ${s.maxRate}/s (10s ramp + 30s hold each)`,
    };
  },

  /** The target rate, a sudden jump to SPIKE_RATE for 30s, then back: tagged phase:before/spike/after. */
  spike: (s: Settings): Plan => {
    const stages = [
      { duration: '10s', target: s.rate, label: 'before' },
      { duration: '30s', target: s.rate, label: 'before' },
      { duration: '5s', target: s.spikeRate, label: 'spike' },
      { duration: '30s', target: s.spikeRate, label: 'spike' },
      { duration: '5s', target: s.rate, label: 'after' },
      { duration: '40s', target: s.rate, label: 'after' },
    ];
    const thresholds: Record<string, string[]> = {};
    for (const phase of ['before', 'spike', 'after']) Object.assign(thresholds, sliceThresholds('phase', phase));
    return {
      scenario: {
        executor: 'ramping-arrival-rate',
        startRate: 1,
        timeUnit: '1s',
        stages: stages.map(({ duration, target }) => ({ duration, target })),
        ...vusFor(s.spikeRate),
        exec: 'traffic',
        gracefulStop: '10s',
      },
      thresholds,
      tagsAt: (ms) => ({ phase: labelAt(stages, ms) }),
      summary: `${s.rate}/s, a spike to ${s.spikeRate}/s for 30s, then ${s.rate}/s again`,
    };
  },
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
