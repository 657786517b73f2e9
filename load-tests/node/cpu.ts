/**
 * CPU time per process over a run, from /proc (Linux): where the machine's two cores went, per
 * request. `wrangler dev` runs two workerd processes: one with wrangler's proxy worker on the public
 * port, and one with our worker (its entry socket on an ephemeral port); plus wrangler itself (Node).
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3]! + line[4]!; // idle + iowait
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function describeProcess(pid: number, name: string): string {
  if (name !== 'workerd') return name === 'node' ? 'wrangler (node)' : name;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /entry=127\.0\.0\.1:0(\0|$)/.test(cmdline) ? 'workerd (our worker)' : 'workerd (wrangler proxy)';
  } catch {
    return 'workerd';
  }
}

export interface CpuSample {
  at: number;
  perProcess: Map<string, number>;
  self: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
}

export function sampleCpu(processes: { pid: number; name: string }[]): CpuSample {
  const perProcess = new Map<string, number>();
  for (const p of processes) {
    const ticks = cpuTicks(p.pid);
    if (ticks === undefined) continue;
    const label = describeProcess(p.pid, p.name);
    perProcess.set(label, (perProcess.get(label) ?? 0) + ticks);
  }
  return { at: performance.now(), perProcess, self: process.cpuUsage(), machine: machineTicks() };
}

export interface CpuReport {
  /** Process label -> CPU ms per answered request. */
  perRequestMs: Record<string, number>;
  /** Process label -> share of one core over the run (1 = one full core). */
  cores: Record<string, number>;
  /** Cores busy on the whole machine, and how much of that was not the server or the generator. */
  machineCores: number;
  otherCores: number;
}

export function cpuBetween(before: CpuSample, after: CpuSample, answers: number): CpuReport {
  const seconds = (after.at - before.at) / 1000;
  const perRequestMs: Record<string, number> = {};
  const cores: Record<string, number> = {};
  let ours = 0;
  for (const [label, ticks] of after.perProcess) {
    const ms = ((ticks - (before.perProcess.get(label) ?? ticks)) * 1000) / TICKS_PER_SECOND;
    perRequestMs[label] = answers > 0 ? ms / answers : NaN;
    cores[label] = ms / 1000 / seconds;
    ours += ms;
  }
  const selfMs = (after.self.user - before.self.user + after.self.system - before.self.system) / 1000;
  perRequestMs['load generator (node)'] = answers > 0 ? selfMs / answers : NaN;
  cores['load generator (node)'] = selfMs / 1000 / seconds;
  ours += selfMs;
  const busyMs = ((after.machine.busy - before.machine.busy) * 1000) / TICKS_PER_SECOND;
  return { perRequestMs, cores, machineCores: busyMs / 1000 / seconds, otherCores: Math.max(0, (busyMs - ours) / 1000 / seconds) };
}

/** Every process's CPU ticks, to name what else ran during a measurement (e.g. a training job). */
export function sampleAllProcesses(): Map<number, { ticks: number; command: string }> {
  const all = new Map<number, { ticks: number; command: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ticks = cpuTicks(pid);
    if (ticks === undefined) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue;
    }
    all.set(pid, { ticks, command });
  }
  return all;
}

/** The processes (other than `exclude`) that used at least `minCores` of a core between two samples. */
export function busyOthers(
  before: Map<number, { ticks: number; command: string }>,
  after: Map<number, { ticks: number; command: string }>,
  seconds: number,
  exclude: Set<number>,
  minCores = 0.05,
): { pid: number; cores: number; command: string }[] {
  const busy: { pid: number; cores: number; command: string }[] = [];
  for (const [pid, now] of after) {
    if (exclude.has(pid)) continue;
    const cores = (now.ticks - (before.get(pid)?.ticks ?? now.ticks)) / TICKS_PER_SECOND / seconds;
    if (cores >= minCores) busy.push({ pid, cores, command: now.command.slice(0, 100) });
  }
  return busy.sort((a, b) => b.cores - a.cores);
}
