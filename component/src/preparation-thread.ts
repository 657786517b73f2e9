/**
 * Where an image is prepared (the core's preprocessing and segmentation): in a Web Worker, so the
 * page stays responsive whatever the core costs on an image (an 875-byte PNG of 5,312 short bars
 * once took it 30 s), or in this thread where no worker can start.
 *
 *  - The element's script on the page's origin (the worker serves both; any page hosting the
 *    files itself): a module worker from the script built beside the element's, found relative to
 *    import.meta.url. A strict CSP allows it: without worker-src, script-src 'self' applies.
 *  - The element's script from another origin: a page may not start a worker from another
 *    origin's URL, so the worker is a blob: module of the page's own origin that imports the script
 *    (which needs CORS, as the element's script does). Where the page's CSP does not allow blob:
 *    workers (worker-src, else child-src, else script-src), that is blocked too.
 *  - Neither (blob: blocked, no module workers, a script that does not load within
 *    WORKER_START_TIMEOUT_MS): in this thread, as before workers; the page then waits while the
 *    core runs. Decided once per element: after one failed start, the element stops trying.
 *
 * One worker per element, started at the first stroke or image. When a newer reading replaces
 * one whose image is still in the worker, the worker is terminated and a fresh one starts for the
 * next reading: a slow image never holds up the one after it.
 */
import type { PreparedDigits } from '../../model/core/index.js';
import { RecognizerError } from './errors.js';
import { transferOf, type PreparationFailure, type PrepareRequest, type WorkerMessage } from './preparation-protocol.js';
import type { PreparationOptions, PreparationSource } from './preparation.js';
import type { Preparation, Preparer } from './reading.js';

/** The worker's script, beside this module; component/build.mjs points it at the built file beside digit-recognizer.js. */
const WORKER_SCRIPT = new URL('./preparation-worker.ts', import.meta.url);

/** A worker whose script has not run by then (a stalled download) is given up, and preparation stays in this thread. */
export const WORKER_START_TIMEOUT_MS = 10_000;

/**
 * A module worker running `script`: directly when it is on the page's origin, else through a
 * blob: module of the page's origin that imports it.
 */
function startWorker(script: URL): Worker {
  const options: WorkerOptions = { type: 'module', name: 'digit-recognizer preparation' };
  if (script.origin === location.origin) return new Worker(script, options);
  const importer = URL.createObjectURL(new Blob([`import ${JSON.stringify(script.href)};\n`], { type: 'text/javascript' }));
  try {
    return new Worker(importer, options);
  } finally {
    // The constructor has resolved the blob already; the worker keeps what it needs.
    URL.revokeObjectURL(importer);
  }
}

type LaunchState = 'starting' | 'ready' | 'failed' | 'stopped';

interface Launch {
  worker: Worker;
  state: LaunchState;
  /** Settles once the worker said it is ready, failed to start, or was stopped first. */
  settled: Promise<LaunchState>;
  stop(): void;
}

/** Starts a worker and waits for its "ready" (its script ran); undefined when the browser refuses it outright. */
function launch(script: URL): Launch | undefined {
  let worker: Worker;
  try {
    worker = startWorker(script);
  } catch {
    // A SecurityError (a CSP that forbids the blob:, a file:// page) or no Worker at all.
    return undefined;
  }
  let settle!: (state: LaunchState) => void;
  const settled = new Promise<LaunchState>((resolve) => (settle = resolve));
  const launched: Launch = { worker, state: 'starting', settled, stop: () => finish('stopped') };
  const onMessage = (event: MessageEvent<WorkerMessage>) => {
    if (event.data.type === 'ready') finish('ready');
  };
  const onError = (event: Event) => {
    // The script did not load or run (blocked, not found, no module workers): not the page's error.
    event.preventDefault();
    finish('failed');
  };
  const timer = setTimeout(() => finish('failed'), WORKER_START_TIMEOUT_MS);
  function finish(state: LaunchState): void {
    if (launched.state !== 'starting') return;
    launched.state = state;
    clearTimeout(timer);
    worker.removeEventListener('message', onMessage);
    worker.removeEventListener('error', onError);
    settle(state);
  }
  worker.addEventListener('message', onMessage);
  worker.addEventListener('error', onError);
  return launched;
}

function errorOf(failure: PreparationFailure): Error {
  return failure.code ? new RecognizerError(failure.code, failure.message, failure.retryable ?? false) : new Error(failure.message);
}

interface Job {
  resolve(digits: PreparedDigits): void;
  reject(error: Error): void;
}

export class PreparationThread implements Preparer {
  private current: Launch | undefined;
  /** Set once a worker could not start: from then on, preparation runs in this thread. */
  private inThreadOnly = false;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;

  /** `script`: the worker's script; the one built beside the element's unless a test says otherwise. */
  constructor(private readonly script: URL = WORKER_SCRIPT) {}

  /** Starts the worker ahead of the first reading, so its script loads while the user draws. */
  warmUp(): void {
    if (!this.inThreadOnly) this.launched();
  }

  async prepare(source: PreparationSource, options: PreparationOptions, signal: AbortSignal): Promise<Preparation> {
    const worker = await this.worker(signal);
    signal.throwIfAborted();
    if (!worker) return { digits: await this.inThisThread(source, options), thread: 'main' };
    return { digits: await this.post(worker, source, options, signal), thread: 'worker' };
  }

  /**
   * Preparation on the page's thread: the worker's script imported as a module (it holds the core's
   * segmentation, which the element's own script leaves out), the page waiting while it runs.
   */
  private async inThisThread(source: PreparationSource, options: PreparationOptions): Promise<PreparedDigits> {
    let module: typeof import('./preparation-worker.js');
    try {
      module = (await import(/* @vite-ignore */ this.script.href)) as typeof module;
    } catch (error) {
      throw new RecognizerError(
        'internal',
        'The image could not be prepared: the preparation script did not load. Check your connection and retry.',
        true,
        { cause: error },
      );
    }
    const prepared = module.prepareOrFail(source, options);
    if ('failure' in prepared) throw errorOf(prepared.failure);
    return prepared.digits;
  }

  /** Stops the worker (the element left the page); a later preparation starts a new one. */
  dispose(): void {
    this.stop(new DOMException('The element left the page.', 'AbortError'));
  }

  private launched(): Launch | undefined {
    if (!this.current) {
      const launched = launch(this.script);
      if (!launched) {
        this.inThreadOnly = true;
        return undefined;
      }
      launched.worker.addEventListener('message', this.onMessage);
      launched.worker.addEventListener('messageerror', this.onCrash);
      launched.worker.addEventListener('error', this.onCrash);
      this.current = launched;
    }
    return this.current;
  }

  /** The ready worker, or undefined when preparation has to run in this thread. */
  private async worker(signal: AbortSignal): Promise<Worker | undefined> {
    for (;;) {
      signal.throwIfAborted();
      const launched = this.inThreadOnly ? undefined : this.launched();
      if (!launched) return undefined;
      const state = await launched.settled;
      if (state === 'ready' && this.current === launched) return launched.worker;
      if (state === 'failed') {
        this.inThreadOnly = true;
        if (this.current === launched) this.stop(new RecognizerError('internal', 'The preparation worker did not start.', true));
        return undefined;
      }
      // Stopped while it started (or replaced since): start again.
    }
  }

  /** Sends the image or drawing to the worker, transferring an image's pixels (the caller gives them up). */
  private post(worker: Worker, source: PreparationSource, options: PreparationOptions, signal: AbortSignal): Promise<PreparedDigits> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = () => {
        // The worker may be busy with this image for a long time: stop it rather than wait for it.
        this.jobs.delete(id);
        this.stop(new RecognizerError('internal', 'A newer reading interrupted this one.', true));
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an aborted reading rejects with its signal's reason, as fetch does
        reject(signal.reason);
      };
      const done = () => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort, { once: true });
      this.jobs.set(id, {
        resolve: (digits) => (done(), resolve(digits)),
        reject: (error) => (done(), reject(error)),
      });
      try {
        worker.postMessage({ id, source, options } satisfies PrepareRequest, transferOf(source));
      } catch (error) {
        this.jobs.delete(id);
        done();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- postMessage's own error (a DataCloneError), passed on as thrown
        reject(error);
      }
    });
  }

  private onMessage = (event: MessageEvent<WorkerMessage>): void => {
    const message = event.data;
    if (message.type === 'ready') return;
    const job = this.jobs.get(message.id);
    // No job: the answer for a reading that was replaced.
    if (!job) return;
    this.jobs.delete(message.id);
    if (message.type === 'prepared') job.resolve(message.digits);
    else job.reject(errorOf(message.failure));
  };

  /** The worker reports its own errors as messages, so an error event after start-up means it broke. */
  private onCrash = (event: Event): void => {
    event.preventDefault();
    if (this.current?.worker !== event.currentTarget || this.current.state !== 'ready') return;
    this.stop(new RecognizerError('internal', 'The image could not be prepared: the preparation worker stopped.', true));
  };

  /** Terminates the worker and rejects what it still had to do. */
  private stop(reason: Error): void {
    const launched = this.current;
    this.current = undefined;
    if (launched) {
      launched.stop();
      launched.worker.terminate();
    }
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.reject(reason);
  }
}
