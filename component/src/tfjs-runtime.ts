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
import { DIGIT_PIXELS, DIGIT_SIDE, TfjsClassifier, type Classifier } from '../../model/core/index.js';

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

/** Inputs the CPU backend reads in one go before the page gets its thread back (a few tens of ms each on a slow CPU). */
export const CPU_CHUNK = 4;

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The WebGL backend's parts used to compile shaders without running them (tfjs' compile-only mode). */
interface CompilingBackend {
  gpgpu?: { parallelCompilationExtension?: unknown };
  checkCompileCompletionAsync(): Promise<boolean[]>;
  getUniformLocations(): void;
}

export interface BridgeOptions {
  /**
   * `parallel` (the default): WebGL's shaders are compiled only where the browser compiles them
   * off the page's thread (KHR_parallel_shader_compile); elsewhere compiling blocks the page for
   * seconds (software WebGL such as SwiftShader, which is no faster than the CPU anyway), so the CPU
   * reads. `always`: compiled anyway, in the same way (the tests, to cover the WebGL path here).
   */
  compile?: 'parallel' | 'always';
}

/**
 * The model on two backends: WebGL, and tfjs' CPU backend for every batch size whose WebGL shaders
 * are not compiled. Compiling them on the page's thread takes seconds on software WebGL (1.4 s for
 * one digit on SwiftShader here, about 1 s more for each new batch size) and freezes the page, the
 * ink under the pen included; so no reading waits for it and it never runs on the page's thread:
 * shaders are compiled in tfjs' compile-only mode, by the browser in parallel, where it can
 * (KHR_parallel_shader_compile: most GPUs), starting at the first stroke for small batches and after
 * a reading for a new size. Until a size is compiled, and where it never can be, the CPU reads,
 * CPU_CHUNK inputs at a time so that the page answers in between. Once both have read, the faster
 * one as measured here reads. Batches on WebGL are padded to a power of two, so few sizes are ever
 * compiled. One task at a time: a reading never runs while the other backend is selected, and
 * WebGL stays the page's tfjs backend between tasks.
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
    private readonly options: BridgeOptions = {},
  ) {}

  /** Whether WebGL's shaders can be compiled here without holding up the page. */
  get compilesInParallel(): boolean {
    const backend = tf.findBackend('webgl') as unknown as CompilingBackend | undefined;
    return !!backend?.gpgpu?.parallelCompilationExtension;
  }

  /** Runs `task` after every task before it, with `backend` selected; WebGL stays the page's backend between tasks. */
  private run<T>(backend: 'webgl' | 'cpu', task: () => T | Promise<T>): Promise<T> {
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
   * Where a batch of `count` is read now: on WebGL when its shaders are compiled and WebGL has not
   * proved slower than the CPU here, else on the CPU.
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

  private note(backend: 'webgl' | 'cpu', ms: number, inputs: number): void {
    const rate = ms / inputs;
    const old = this.msPerInput[backend];
    this.msPerInput[backend] = old === undefined ? rate : 0.7 * old + 0.3 * rate;
  }

  async predict(inputs: readonly Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const size = webglBatch(inputs.length);
    if (this.backendFor(inputs.length) === 'webgl') {
      const padded = [...inputs, ...Array.from({ length: size - inputs.length }, () => new Float32Array(DIGIT_PIXELS))];
      const rows = await this.run('webgl', async () => {
        const started = performance.now();
        const rows = await this.webgl.predict(padded);
        this.note('webgl', performance.now() - started, padded.length);
        return rows;
      });
      return rows.slice(0, inputs.length);
    }
    const rows = await this.run('cpu', async () => {
      const rows: number[][] = [];
      let busy = 0;
      for (let from = 0; from < inputs.length; from += CPU_CHUNK) {
        if (from > 0) await yieldToPage();
        const started = performance.now();
        rows.push(...(await this.cpu.predict(inputs.slice(from, from + CPU_CHUNK))));
        busy += performance.now() - started;
      }
      this.note('cpu', busy, inputs.length);
      return rows;
    });
    this.compile(size);
    return rows;
  }

  /**
   * Starts compiling WebGL's shaders for batches of `size`, off the page's thread: the programs are
   * built in tfjs' compile-only mode (nothing runs), and the browser links them in parallel. Does
   * nothing where that is not possible (see BridgeOptions), for a size done or under way, or once
   * WebGL proved slower here.
   */
  compile(size: number): void {
    if (this.webglBroken || this.webglSlower || this.compiled.has(size) || this.compiling.has(size)) return;
    if (this.options.compile !== 'always' && !this.compilesInParallel) return;
    this.compiling.add(size);
    const started = performance.now();
    const backend = tf.findBackend('webgl') as unknown as CompilingBackend;
    // Building the programs takes WebGL's turn briefly; waiting for the browser to link them does
    // not: readings (on the CPU, or on WebGL for sizes already compiled) go on meanwhile.
    void this.run('webgl', () => {
      tf.env().set('ENGINE_COMPILE_ONLY', true);
      try {
        tf.tidy(() => this.webgl.model.predict(tf.zeros([size, DIGIT_SIDE, DIGIT_SIDE, 1])));
      } finally {
        tf.env().set('ENGINE_COMPILE_ONLY', false);
      }
    })
      .then(() => backend.checkCompileCompletionAsync())
      // Before any of the new programs runs, they need their uniforms' locations.
      .then(() => this.run('webgl', () => backend.getUniformLocations()))
      .then(() => {
        performance.measure(`digit-recognizer:webgl-compile-${size}`, { start: started, end: performance.now() });
        this.compiled.add(size);
      })
      .catch(() => {
        // A lost context or a shader that does not compile: the CPU keeps reading.
        this.webglBroken = true;
      })
      .finally(() => this.compiling.delete(size));
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
export async function loadWebglClassifier(modelUrl: string, timeoutMs: number, bridge: BridgeOptions = {}): Promise<BridgedClassifier> {
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
      classifier = new BridgedClassifier(webgl, await TfjsClassifier.load({ core: tf, layers: tfl }, tf.io.fromMemory(artifacts)), bridge);
    } finally {
      await tf.setBackend('webgl');
    }
  } catch (error) {
    throw named(
      'ModelLoadError',
      `The model could not be loaded from ${modelUrl}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  measure('model-load');
  try {
    await classifier.warmUp();
    measure('warm-up');
  } catch (error) {
    classifier.dispose();
    throw named('ModelLoadError', `The model could not run: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  // While the user draws: WebGL's shaders for the small batches a first number needs, where the
  // browser compiles them without holding up the page.
  for (const size of [1, 2, 4, 8, 16]) classifier.compile(size);
  return classifier;
}
