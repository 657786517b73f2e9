/**
 * The server under test: `wrangler dev` (the real workerd runtime) on a free loopback port, or
 * whatever BASE_URL points at. Started in its own process group so that stopping it stops wrangler's
 * workerd children too, and only them.
 *
 * By default it serves a snapshot: the worker bundled once as `wrangler deploy` bundles it
 * (`wrangler deploy --dry-run --outdir`, minified, the model and the WASM binary as modules) and a
 * copy of dist/public, run with `wrangler dev --no-bundle` and the project's wrangler.toml (vars,
 * routes, rules). `wrangler dev` watches its sources and restarts the worker when one changes; on a
 * shared checkout (a training job writing model/artifacts every epoch, others editing worker/src)
 * that answered load-test requests with "503 Your worker restarted mid-request". With --live it
 * runs `wrangler dev` on the working tree instead, as `npm start` did before scripts/serve.mjs.
 * `startLocalServer()` runs that script, the server `npm start` runs now.
 *
 * Each server also gets its own wrangler state in a temp folder: its debug log (wrangler writes every
 * DevTools event there, hundreds of MB under load for routes that make subrequests), its dev registry,
 * and no config watching (WRANGLER_CI_DISABLE_CONFIG_WATCHING) for snapshots. `restart()` starts a
 * fresh wrangler dev on the same snapshot, so each kind of request is measured on a fresh process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Server {
  baseUrl: string;
  /**
   * Our worker's own workerd, behind wrangler's dev proxy (read from wrangler's debug log): requests
   * sent here skip the proxy, a development-only hop that production does not have.
   */
  directUrl?: string;
  /** The model /healthz reports. */
  model: { name: string; version: string };
  /** The command that started it, or "BASE_URL" when it was given. */
  command: string;
  /** Pids of the server's processes (wrangler and its workerd children), empty for BASE_URL. */
  pids(): { pid: number; name: string }[];
  /** The server's recent output (wrangler's log), for explaining failures. */
  output(): string;
  /** The exit code if the server has exited (crashed) while we used it; undefined while it runs. */
  exited(): number | null | undefined;
  /** Stops this wrangler dev and starts a new one on the same snapshot (BASE_URL: nothing to do). */
  restart(): Promise<Server>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function health(baseUrl: string): Promise<{ name: string; version: string } | undefined> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) return undefined;
    return ((await res.json()) as { model: { name: string; version: string } }).model;
  } catch {
    return undefined;
  }
}

/** Builds dist/public (the assets wrangler serves) like `npm start` does, unless it exists and `always` is false. */
export function buildAssets(always: boolean): void {
  if (!always && existsSync(path.join(ROOT, 'dist/public/index.html'))) return;
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm run build failed:\n${run.stdout}\n${run.stderr}`);
  console.log(`built dist/public in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** All descendants of a pid, from /proc (Linux). */
function descendants(root: number): { pid: number; name: string }[] {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      const pid = Number(entry);
      names.set(pid, name);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: { pid: number; name: string }[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push({ pid: child, name: names.get(child) ?? '?' });
      walk(child);
    }
  };
  walk(root);
  return found;
}

export interface StartOptions {
  /** Extra `wrangler dev` arguments, e.g. ["--log-level", "warn"]. */
  wranglerArgs: string[];
  /** Rebuild dist/public even if it exists. */
  build: boolean;
  /** Serve the working tree (wrangler dev's own bundling and file watching) instead of a snapshot. */
  live: boolean;
  /** Bundle the snapshot unminified (readable names in CPU profiles); default: as wrangler.toml says. */
  unminified?: boolean;
}

interface Workspace {
  /** The temp folder: snapshot, wrangler's log and dev registry. */
  dir: string;
  snapshot?: { entry: string; assets: string };
}

/** Bundles the worker as `wrangler deploy` would and copies the assets, into the workspace. */
function snapshot(dir: string, unminified: boolean): { entry: string; assets: string } {
  const started = Date.now();
  const flags = ['deploy', '--dry-run', '--outdir', path.join(dir, 'worker'), ...(unminified ? ['--minify=false'] : [])];
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...flags], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', WRANGLER_LOG_PATH: path.join(dir, 'wrangler-deploy.log') },
  });
  if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`);
  cpSync(path.join(ROOT, 'dist/public'), path.join(dir, 'public'), { recursive: true });
  console.log(
    `bundled the worker (wrangler deploy --dry-run) and copied dist/public to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { entry: path.join(dir, 'worker/index.js'), assets: path.join(dir, 'public') };
}

export async function startServer(options: StartOptions): Promise<Server> {
  const given = process.env.BASE_URL?.replace(/\/+$/, '');
  if (given) {
    const model = await health(given);
    if (!model) throw new Error(`BASE_URL ${given}: GET /healthz did not answer 200`);
    const server: Server = {
      baseUrl: given,
      model,
      command: `BASE_URL=${given}`,
      pids: () => [],
      output: () => '',
      exited: () => undefined,
      restart: () => Promise.resolve(server),
      stop: async () => {},
    };
    return server;
  }

  buildAssets(options.build);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digit-recognizer-load-'));
  // LOAD_KEEP_WORKSPACE=1 keeps the snapshot and wrangler's debug logs for a post-mortem.
  const removeWorkspace = () =>
    process.env.LOAD_KEEP_WORKSPACE ? console.log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true });
  // Never leave a server or the workspace behind, whatever ends this process.
  let current: { stop(): Promise<void> } | undefined;
  const onSignal = (signal: NodeJS.Signals) =>
    void (current?.stop() ?? Promise.resolve()).then(() => {
      removeWorkspace();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const workspace: Workspace = { dir, ...(options.live ? {} : { snapshot: snapshot(dir, options.unminified ?? false) }) };
    const start = async (): Promise<Server> => {
      const launched = await launch(workspace, options);
      current = launched;
      return {
        ...launched,
        restart: async () => {
          await launched.stop();
          return start();
        },
        stop: async () => {
          await launched.stop();
          removeWorkspace();
        },
      };
    };
    return await start();
  } catch (error) {
    removeWorkspace();
    throw error;
  }
}

/** The user worker's address from wrangler's debug log ("reloadComplete" proxyData), if found. */
function userWorkerUrl(logPath: string): string | undefined {
  try {
    const log = readFileSync(logPath, 'utf8');
    const matches = [
      ...log.matchAll(/"type":"reloadComplete","proxyData":\{"userWorkerUrl":\{"protocol":"(http:)","hostname":"([\d.]+)","port":"(\d+)"/g),
    ];
    const last = matches[matches.length - 1];
    return last ? `${last[1]}//${last[2]}:${last[3]}` : undefined;
  } catch {
    return undefined;
  }
}

/** A server process in its own process group (so stopping it stops its workerd children, and only them). */
interface Spawned {
  child: ChildProcess;
  /** Its recent output. */
  output: () => string;
  exited: () => number | null | undefined;
  stop: () => Promise<void>;
}

function spawnInGroup(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true, // its own process group: stop() signals the server and its workerd children together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
  let output = '';
  const logFile = process.env.LOAD_SERVER_LOG;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), resolve())));

  const stop = async () => {
    if (exited !== undefined || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exit;
    clearTimeout(timer);
  };
  return { child, output: () => output, exited: () => exited, stop };
}

/** Waits for GET /healthz to answer 200: the model it reports, or throws with the server's output. */
async function waitForHealth(baseUrl: string, spawned: Spawned, what: string): Promise<{ name: string; version: string }> {
  const started = Date.now();
  for (;;) {
    const model = await health(baseUrl);
    if (model) {
      console.log(`${what} ready on ${baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s (model ${model.name} ${model.version})`);
      return model;
    }
    const exited = spawned.exited();
    if (exited !== undefined) throw new Error(`${what} exited (${exited}) before /healthz answered:\n${spawned.output()}`);
    if (Date.now() - started > 90_000) {
      await spawned.stop();
      throw new Error(`${what} did not answer /healthz within 90 s:\n${spawned.output()}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** One wrangler dev process on a free port, ready when /healthz answers. */
async function launch(workspace: Workspace, options: StartOptions): Promise<Omit<Server, 'restart'>> {
  const snap = workspace.snapshot;
  const port = await freePort();
  const logPath = path.join(workspace.dir, `wrangler-${port}.log`);
  const args = [
    'dev',
    ...(snap ? [snap.entry, '--config', path.join(ROOT, 'wrangler.toml'), '--no-bundle', '--assets', snap.assets] : []),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--show-interactive-dev-session=false',
    ...options.wranglerArgs,
  ];
  const spawned = spawnInGroup([path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
    WRANGLER_LOG_PATH: logPath,
    WRANGLER_REGISTRY_PATH: path.join(workspace.dir, 'registry'),
    ...(snap ? { WRANGLER_CI_DISABLE_CONFIG_WATCHING: 'true' } : {}),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const model = await waitForHealth(baseUrl, spawned, 'wrangler dev');
  const directUrl = userWorkerUrl(logPath);
  const child = spawned.child;
  return {
    baseUrl,
    ...(directUrl ? { directUrl } : {}),
    model,
    command: `wrangler ${args.join(' ').replaceAll(workspace.dir, '$SNAPSHOT').replaceAll(`${ROOT}/`, '')}`,
    pids: () => (child.pid === undefined ? [] : [{ pid: child.pid, name: 'wrangler' }, ...descendants(child.pid)]),
    output: spawned.output,
    exited: spawned.exited,
    stop: spawned.stop,
  };
}

/**
 * The server `npm start` runs (scripts/serve.mjs: the deploy bundle in workerd behind its Node front
 * door) on a free loopback port, serving a copy of dist/public taken now (other runs on this machine
 * rebuild dist/public). `extraArgs` go to serve.mjs (e.g. ["--quiet"]).
 */
export async function startLocalServer(options: { build?: boolean; extraArgs?: string[] } = {}): Promise<Server> {
  buildAssets(options.build ?? false);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'digit-recognizer-start-'));
  cpSync(path.join(ROOT, 'dist/public'), path.join(dir, 'public'), { recursive: true });
  // Its own process group does not get our Ctrl-C: stop it (and remove the snapshot) ourselves.
  let current: Spawned | undefined;
  const onSignal = (signal: NodeJS.Signals) =>
    void (current?.stop() ?? Promise.resolve()).then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const start = async (): Promise<Server> => {
    const port = await freePort();
    const args = ['--port', String(port), '--assets', path.join(dir, 'public'), ...(options.extraArgs ?? [])];
    const spawned = spawnInGroup([path.join(ROOT, 'scripts/serve.mjs'), ...args], {});
    current = spawned;
    const baseUrl = `http://127.0.0.1:${port}`;
    let model: { name: string; version: string };
    try {
      model = await waitForHealth(baseUrl, spawned, 'npm start (scripts/serve.mjs)');
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const child = spawned.child;
    return {
      baseUrl,
      model,
      command: `node scripts/serve.mjs ${args.join(' ').replaceAll(dir, '$SNAPSHOT')}`,
      pids: () => (child.pid === undefined ? [] : [{ pid: child.pid, name: 'front door (node)' }, ...descendants(child.pid)]),
      output: spawned.output,
      exited: spawned.exited,
      restart: async () => {
        await spawned.stop();
        return start();
      },
      stop: async () => {
        await spawned.stop();
        rmSync(dir, { recursive: true, force: true });
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      },
    };
  };
  return start();
}
