/**
 * Once for the whole end-to-end run: builds the site (scripts/build.mjs, as `npm start` does),
 * starts the real worker with `wrangler dev` on a free port, waits for GET /healthz, and starts one
 * headless Chromium that every test file connects to. The teardown stops both, so no process
 * outlives the run.
 *
 * wrangler serves a snapshot of dist/public taken right after the build: other test runs on this
 * machine rebuild dist/public (the worker's tests delete and copy the model folder), and a file
 * missing for a moment would turn into a flaky failure here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const STARTUP_TIMEOUT_MS = 120_000;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The worker's origin, e.g. http://127.0.0.1:43123. */
    baseURL: string;
    /** Where the shared Chromium listens (playwright `chromium.connect`). */
    wsEndpoint: string;
  }
}

/** A port nobody listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Ends wrangler and the workerd processes it started: they share its process group. */
function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForHealth(baseURL: string, wrangler: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited with code ${wrangler.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer ${baseURL}/healthz within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log()}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node scripts/build.mjs failed');

  const snapshot = await mkdtemp(path.join(tmpdir(), 'digit-recognizer-e2e-'));
  const assets = path.join(snapshot, 'public');
  await cp(path.join(root, 'dist/public'), assets, { recursive: true });

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const baseURL = `http://127.0.0.1:${port}`;
  let output = '';
  const wrangler = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      // Its own debugger port: the default one is taken when someone else runs `npm start`.
      '--inspector-port',
      String(inspectorPort),
      '--assets',
      assets,
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', FORCE_COLOR: '0' },
    },
  );
  wrangler.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  wrangler.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // If this process dies without running the teardown, the server must not linger.
  const onExit = () => stopGroup(wrangler, 'SIGKILL');
  process.on('exit', onExit);

  let browser: BrowserServer | undefined;
  const teardown = async () => {
    await browser?.close().catch(() => {});
    if (wrangler.exitCode === null && wrangler.signalCode === null) {
      const exited = new Promise((resolve) => wrangler.once('exit', resolve));
      stopGroup(wrangler, 'SIGTERM');
      const timer = setTimeout(() => stopGroup(wrangler, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', onExit);
    await mkdir(path.join(root, 'test-results'), { recursive: true });
    await writeFile(path.join(root, 'test-results/e2e-wrangler.log'), output);
    await rm(snapshot, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseURL, wrangler, () => output);
    browser = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  } catch (error) {
    await teardown();
    throw error;
  }

  project.provide('baseURL', baseURL);
  project.provide('wsEndpoint', browser.wsEndpoint());
  return teardown;
}
