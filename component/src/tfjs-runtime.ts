/**
 * The only module that imports TensorFlow.js. The element loads it with a dynamic import, so the
 * bundler puts tfjs (core, layers, webgl, and cpu while WebGL compiles: nothing else) in a separate
 * chunk that a page downloads only when it recognizes on the device.
 *
 * Errors are plain Errors with a `name` (not RecognizerError) so this chunk shares no module with
 * the element's entry file, which stays one self-contained file.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-webgl';
// The CPU backend reads while WebGL compiles its shaders (BridgedClassifier).
import '@tensorflow/tfjs-backend-cpu';
import { DIGIT_PIXELS, TfjsClassifier, type Classifier } from '../../model/core/index.js';

let webgl: Promise<boolean> | undefined;

/** Initializes the WebGL backend once; false when the context or the shaders fail. */
function useWebgl(): Promise<boolean> {
  // Shapes as uniforms: one compiled shader serves every batch size, so a number with more digits
  // than the last one is not held up by shader compilation (seconds on software WebGL).
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  webgl ??= tf.setBackend('webgl').then(
    async (ok) => ok && (await tf.ready(), tf.getBackend() === 'webgl'),
    () => false,
  );
  return webgl;
}

function named(name: string, message: string, cause?: unknown): Error {
  const error = new Error(message, { cause });
  error.name = name;
  return error;
}

/** Batches run on WebGL at these sizes (padded up): each new size compiles its own shaders, so few sizes, each compiled once. */
export function webglBatch(count: number): number {
  let size = 1;
  while (size < count) size *= 2;
  return size;
}

/** A second after a reading, when the page is idle: while people look at the result, not while they wait for one. */
function afterReading(run: () => void): void {
  setTimeout(() => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run, { timeout: 2_000 }) : run()), COMPILE_DELAY_MS);
}

/** How long after a reading on the CPU WebGL starts compiling that batch size's shaders. */
export const COMPILE_DELAY_MS = 1_000;

/**
 * The model on two backends: WebGL, and tfjs' CPU backend for as long as WebGL's shaders for a
 * batch size are not compiled. Compiling them takes seconds on software WebGL (SwiftShader: 1.4 s
 * for one digit, 1 s more for each new batch size) and blocks the page while it runs, so neither the
 * drawing nor a reading waits for it: a batch size met for the first time is read on the CPU (no
 * compilation; for a few digits about as fast), and its shaders are compiled a second after the
 * result, when the page is idle, for the next reading of that size. Batches on WebGL are padded to
 * a power of two, so few sizes are ever compiled. Where WebGL proves slower than the CPU on real
 * readings (software WebGL), the CPU keeps reading and no more sizes are compiled. One task at a
 * time: a reading never runs while the other backend is selected, and WebGL stays the page's tfjs
 * backend between tasks.
 */
export class BridgedClassifier implements Classifier {
  /** WebGL batch sizes whose shaders are compiled. */
  private readonly compiled = new Set<number>();
  private readonly compiling = new Set<number>();
  private queue: Promise<unknown> = Promise.resolve();
  private webglBroken = false;
  /** Milliseconds per input each backend took on real readings (a moving average), to use the faster one. */
  private readonly msPerInput: Record<'webgl' | 'cpu', number | undefined> = { webgl: undefined, cpu: undefined };

  constructor(
    private readonly webgl: TfjsClassifier,
    private readonly cpu: TfjsClassifier,
  ) {}

  /** Runs `task` after every task before it, with `backend` selected; WebGL stays the page's backend between tasks. */
  private run<T>(backend: 'webgl' | 'cpu', task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
      try {
        return await task();
      } finally {
        if (tf.getBackend() !== 'webgl') await tf.setBackend('webgl');
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Where a batch of `count` is read now: on WebGL when its shaders are ready and WebGL has not
   * proved slower than the CPU here (software WebGL is: it runs shaders on the CPU), else on the CPU.
   */
  backendFor(count: number): 'webgl' | 'cpu' {
    if (this.webglBroken || !this.compiled.has(webglBatch(count))) return 'cpu';
    const { webgl, cpu } = this.msPerInput;
    if (webgl === undefined || cpu === undefined) return 'webgl';
    return webgl * webglBatch(count) <= cpu * count ? 'webgl' : 'cpu';
  }

  /** Whether WebGL was measured slower than the CPU: then no more sizes are compiled for it. */
  private get webglSlower(): boolean {
    const { webgl, cpu } = this.msPerInput;
    return webgl !== undefined && cpu !== undefined && webgl > cpu;
  }

  private timed(backend: 'webgl' | 'cpu', classifier: TfjsClassifier, inputs: readonly Float32Array[]): Promise<number[][]> {
    return this.run(backend, async () => {
      const started = performance.now();
      const rows = await classifier.predict(inputs);
      const rate = (performance.now() - started) / inputs.length;
      const old = this.msPerInput[backend];
      this.msPerInput[backend] = old === undefined ? rate : 0.7 * old + 0.3 * rate;
      return rows;
    });
  }

  async predict(inputs: readonly Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const size = webglBatch(inputs.length);
    if (this.backendFor(inputs.length) === 'webgl') {
      const padded = [...inputs, ...Array.from({ length: size - inputs.length }, () => new Float32Array(DIGIT_PIXELS))];
      return (await this.timed('webgl', this.webgl, padded)).slice(0, inputs.length);
    }
    const rows = await this.timed('cpu', this.cpu, inputs);
    this.compileLater(size);
    return rows;
  }

  /** Compiles WebGL's shaders for batches of `size` after a while, when the page is idle (a blank batch run once). */
  compileLater(size: number): void {
    if (this.webglBroken || this.webglSlower || this.compiled.has(size) || this.compiling.has(size)) return;
    this.compiling.add(size);
    afterReading(() => {
      void this.run('webgl', async () => {
        const started = performance.now();
        await this.webgl.predict(Array.from({ length: size }, () => new Float32Array(DIGIT_PIXELS)));
        performance.measure(`digit-recognizer:webgl-compile-${size}`, { start: started, end: performance.now() });
        this.compiled.add(size);
      })
        .catch(() => {
          // A lost context or a shader that does not compile: the CPU keeps reading.
          this.webglBroken = true;
        })
        .finally(() => this.compiling.delete(size));
    });
  }

  /** Runs the first CPU inference now (its kernels' first use), so the first reading does not pay for it. */
  async warmUp(): Promise<void> {
    await this.run('cpu', () => this.cpu.warmUp());
  }

  /** Resolves once every task queued so far has run (tests and the benchmark). */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  dispose(): void {
    this.webgl.dispose();
    this.cpu.dispose();
  }
}

/**
 * Loads the model for WebGL and for the CPU, from one download. The model files come through
 * fetch, so the browser's HTTP cache keeps them for later visits (content-hashed names, immutable).
 * Then the first inference runs on the CPU: the first reading neither waits for WebGL's shaders nor
 * for the CPU's first run. Called at the first stroke: all of it happens while the user draws.
 */
export async function loadWebglClassifier(modelUrl: string, timeoutMs: number): Promise<BridgedClassifier> {
  // User Timing entries (visible in DevTools' performance panel and read by the benchmark).
  let mark = performance.now();
  const measure = (name: string) => {
    performance.measure(`digit-recognizer:${name}`, { start: mark, end: performance.now() });
    mark = performance.now();
  };
  const webglReady = await useWebgl();
  measure('webgl-init');
  if (!webglReady) throw named('WebGLUnavailable', 'WebGL could not be initialized in this browser.');
  const fetchFunc = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  let classifier: BridgedClassifier;
  try {
    const artifacts = await tf.io.http(modelUrl, { fetchFunc }).load!();
    // A model's weights live on the backend that was selected when it was built: one model each.
    const webgl = await TfjsClassifier.load({ core: tf, layers: tfl }, tf.io.fromMemory(artifacts));
    await tf.setBackend('cpu');
    try {
      classifier = new BridgedClassifier(webgl, await TfjsClassifier.load({ core: tf, layers: tfl }, tf.io.fromMemory(artifacts)));
    } finally {
      await tf.setBackend('webgl');
    }
  } catch (error) {
    throw named('ModelLoadError', `The model could not be loaded from ${modelUrl}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  measure('model-load');
  try {
    await classifier.warmUp();
    measure('warm-up');
  } catch (error) {
    classifier.dispose();
    throw named('ModelLoadError', `The model could not run: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  return classifier;
}
