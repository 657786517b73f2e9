/**
 * npm run bench:worker: the worker's time per POST /predict, in workerd (wrangler dev, offline).
 *  1. In the isolate: the app handling the request body already in memory, `RUNS` times per payload
 *     (what Workers bill as CPU time: no network, no I/O waits in /predict).
 *  2. Over HTTP on loopback against `wrangler dev` (wrangler.toml): wall time per request as a client sees it.
 *  3. The deployable bundle's size, raw and gzip (wrangler deploy --dry-run).
 * Payloads: preprocessed digits as JSON pixels (one, four, a 10-digit number's candidates with their
 * lattice), uploads (1 MP PNGs, a JPEG photo, a number, a 12 MP phone photo), and the adversarial
 * inputs of model/testing/adversarial.ts (answered or refused with 422: either way timed).
 * Prints medians (p50) and p95; goals (CPU p50): 2 ms for one digit's pixels, 10 ms for a 1 MP PNG,
 * 60 ms for a 12 MP JPEG, 50 ms for each adversarial input.
 * Rows marked "decode only" time just the decoding of the 1 MP PNGs, by the worker's decoder
 * (@jsquash/png) and by upng-js, the decoder before, in the same run (not over HTTP).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { fixtures as loadIndex, writeFixtures, GENERATED_DIR, type FixtureEntry } from './fixtures.js';
import { DIGIT_PIXELS, prepareDigits } from '../../model/core/index.js';
import { loadValidationFromNpm } from '../../model/training/data/mnist.js';
import { createRandom, renderNumber } from '../../model/testing/synthetic.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Number(process.env.RUNS ?? 200);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** The workerd processes wrangler dev started (its descendants named workerd), from /proc. */
function workerdPids(root: number): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  const pids = [...names].filter(([pid, name]) => name === 'workerd' && isDescendant(pid)).map(([pid]) => pid);
  if (pids.length === 0) throw new Error('wrangler dev started no workerd process');
  return pids;
}

/** User + system CPU time of processes so far, in ms (Linux /proc/PID/stat fields 14 and 15). */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

async function startDev(config: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--config',
      config,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'error',
    ],
    { cwd: root, stdio: 'ignore' },
  );
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      /* not up yet */
    }
  }
  child.kill();
  throw new Error(`wrangler dev --config ${config} did not start on port ${port}`);
}

/** What the element sends for a 10-digit number drawn on the pad: its candidates, boxes and lattice. */
function tenDigitLattice(): { body: Uint8Array<ArrayBuffer>; count: number } {
  const validation = loadValidationFromNpm();
  const random = createRandom(10);
  const indices = Array.from({ length: 10 }, () => Math.floor(random() * validation.count));
  const image = renderNumber(
    indices.map((i) => validation.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS)),
    { random, height: 120 },
  );
  const prepared = prepareDigits(image);
  const body = { pixels: prepared.inputs.map((input) => Array.from(input)), boxes: prepared.boxes, lattice: prepared.lattice };
  return { body: new TextEncoder().encode(JSON.stringify(body)), count: prepared.inputs.length };
}

async function main(): Promise<void> {
  await writeFixtures();
  const index = loadIndex();
  const images = readFileSync(path.join(GENERATED_DIR, 'images.bin'));
  const bytes = (e: FixtureEntry) => images.subarray(e.offset, e.offset + e.length);
  const describe = (e: FixtureEntry) =>
    `${e.width}x${e.height}, ${e.length >= 1e6 ? `${(e.length / 1e6).toFixed(1)} MB` : `${Math.round(e.length / 1e3)} KB`}`;
  const photo = index.entries.find((e) => e.kind === 'large' && e.expected === '7')!;
  const clean = index.entries.find((e) => e.kind === 'large' && e !== photo)!;
  const jpeg = index.entries.find((e) => e.kind === 'digit' && e.format === 'jpeg')!;
  const number = index.entries.find((e) => e.kind === 'number' && e.format === 'png')!;
  const phone = index.entries.find((e) => e.kind === 'phone');
  const tenDigits = tenDigitLattice();
  // `cost` scales the runs per batch down for slow payloads.
  const payloads = [
    {
      name: 'JSON pixels, 1 digit',
      type: 'application/json',
      body: new TextEncoder().encode(JSON.stringify({ pixels: index.pixels[0]!.values })),
      goal: 2,
      cost: 1,
    },
    {
      name: 'JSON pixels, 4 digits',
      type: 'application/json',
      body: new TextEncoder().encode(JSON.stringify({ pixels: index.pixels.slice(0, 4).map((p) => p.values) })),
      goal: 0,
      cost: 2,
    },
    { name: `PNG 1 MP photo (${describe(photo)})`, type: 'image/png', body: bytes(photo), goal: 10, cost: 40 },
    { name: `PNG 1 MP drawing (${describe(clean)})`, type: 'image/png', body: bytes(clean), goal: 10, cost: 20 },
    { name: `JPEG photo (${describe(jpeg)})`, type: 'image/jpeg', body: bytes(jpeg), goal: 0, cost: 10 },
    {
      name: `PNG number, ${number.expected.length} digits (${describe(number)})`,
      type: 'image/png',
      body: bytes(number),
      goal: 0,
      cost: 10,
    },
    ...(phone
      ? [{ name: `JPEG 12 MP phone photo (${describe(phone)})`, type: 'image/jpeg', body: bytes(phone), goal: 60, cost: 400 }]
      : []),
    {
      name: `JSON lattice, a 10-digit number (${tenDigits.count} candidates)`,
      type: 'application/json',
      body: tenDigits.body,
      goal: 0,
      cost: 8,
    },
    ...index.entries
      .filter((e) => e.kind === 'adversarial')
      .map((e) => ({
        name: `adversarial: ${e.name} (${describe(e)})`,
        type: 'image/png',
        body: bytes(e),
        goal: 50,
        cost: 30,
        refusable: true,
      })),
    { name: 'decode only, 1 MP photo: @jsquash/png', type: 'image/png', body: bytes(photo), goal: 0, cost: 30, decode: 'png' },
    { name: 'decode only, 1 MP photo: upng-js (before)', type: 'image/png', body: bytes(photo), goal: 0, cost: 40, decode: 'upng' },
    { name: 'decode only, 1 MP drawing: @jsquash/png', type: 'image/png', body: bytes(clean), goal: 0, cost: 15, decode: 'png' },
    { name: 'decode only, 1 MP drawing: upng-js (before)', type: 'image/png', body: bytes(clean), goal: 0, cost: 20, decode: 'upng' },
  ];
  const basePort = 8900 + Math.floor(Math.random() * 90);

  const timing = await startDev(path.join(root, 'worker/bench/wrangler.toml'), basePort);
  const workerd = workerdPids(timing.pid!);
  try {
    console.log(`\nin the isolate: the worker's own work per request (ms), median of ${ROUNDS} rounds`);
    console.log(`  ${'payload'.padEnd(44)} ${'CPU'.padStart(8)} ${'wall p50'.padStart(9)} ${'wall p95'.padStart(9)}  goal (CPU p50)`);
    for (const payload of payloads) {
      const runs = Math.max(5, Math.round(RUNS / payload.cost));
      const decode = 'decode' in payload ? `&decode=${payload.decode}` : '';
      const send = (n: number) =>
        fetch(`http://127.0.0.1:${basePort}/?runs=${n}${decode}`, {
          method: 'POST',
          body: payload.body,
          headers: { 'content-type': payload.type },
        });
      await (await send(10)).arrayBuffer(); // warm-up: model load, JIT
      const cpu: number[] = [];
      const p50s: number[] = [];
      const p95s: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const before = cpuMs(workerd);
        const response = await send(runs);
        const { status, times } = (await response.json()) as { status: number; times: number[] };
        cpu.push((cpuMs(workerd) - before) / runs);
        // Adversarial inputs may be refused (422 too_many_marks): that answer is what is timed.
        if (status !== 200 && !('refusable' in payload && status === 422)) throw new Error(`${payload.name}: status ${status}`);
        const sorted = [...times].sort((a, b) => a - b);
        p50s.push(percentile(sorted, 50));
        p95s.push(percentile(sorted, 95));
      }
      const perRequest = median(cpu);
      console.log(
        `  ${payload.name.padEnd(44)} ${perRequest.toFixed(2).padStart(8)} ${median(p50s).toFixed(1).padStart(9)} ${median(p95s).toFixed(1).padStart(9)}  ${payload.goal ? `<= ${payload.goal} ms: ${perRequest <= payload.goal ? 'met' : 'missed'}` : '-'}`,
      );
    }
    console.log(
      "  (CPU: user+system time of wrangler dev's workerd processes over a batch, divided by the batch size; wall: performance.now() in workerd, 1 ms resolution)",
    );
  } finally {
    timing.kill();
  }

  const server = await startDev(path.join(root, 'wrangler.toml'), basePort + 1);
  try {
    console.log('\nover HTTP on loopback (wrangler dev, one request at a time, wall ms):');
    for (const payload of payloads.filter((p) => !('decode' in p) && !('refusable' in p))) {
      const url = `http://127.0.0.1:${basePort + 1}/predict`;
      const send = async () => {
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', body: payload.body, headers: { 'content-type': payload.type } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${payload.name}: status ${response.status}`);
        return performance.now() - started;
      };
      for (let i = 0; i < 5; i++) await send();
      const p50s: number[] = [];
      const p95s: number[] = [];
      const n = Math.max(10, Math.round(100 / Math.sqrt(payload.cost)));
      for (let round = 0; round < ROUNDS; round++) {
        const times: number[] = [];
        for (let i = 0; i < n; i++) times.push(await send());
        times.sort((a, b) => a - b);
        p50s.push(percentile(times, 50));
        p95s.push(percentile(times, 95));
      }
      console.log(`  ${payload.name.padEnd(36)} p50 ${median(p50s).toFixed(2).padStart(7)}  p95 ${median(p95s).toFixed(2).padStart(7)}`);
    }
  } finally {
    server.kill();
  }

  const outdir = mkdtempSync(path.join(tmpdir(), 'worker-bundle-'));
  const dry = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir],
    { cwd: root, encoding: 'utf8' },
  );
  if (dry.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${dry.stderr}`);
  console.log('\nworker bundle (wrangler deploy --dry-run):');
  let raw = 0;
  let gzip = 0;
  for (const file of readdirSync(outdir).filter((f) => !f.endsWith('.map') && !f.endsWith('.md'))) {
    const bytes = readFileSync(path.join(outdir, file));
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += statSync(path.join(outdir, file)).size;
    gzip += zipped;
    console.log(
      `  ${file.replace(/^[0-9a-f]{40}-/, '').padEnd(36)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB  gzip ${(zipped / 1024).toFixed(1).padStart(7)} KiB`,
    );
  }
  console.log(`  ${'total'.padEnd(36)} ${(raw / 1024).toFixed(1).padStart(8)} KiB  gzip ${(gzip / 1024).toFixed(1).padStart(7)} KiB`);
}

await main();
