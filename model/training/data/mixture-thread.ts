/**
 * Builds the mixture's epochs on a second thread, so drawing the next epoch's samples (a few
 * minutes of CPU: pen strokes, USPS scans and rejects through the core) overlaps training on the
 * current one. The thread loads its own data from the same folders; epochs come back as transferred
 * buffers (no copy). Deterministic per epoch, so a resumed run sees the same samples.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { TfjsClassifier } from '../../core/index.js';
import { loadModelFromDir } from '../model-files.js';
import { nodeTfjs, useBackend } from '../tfjs-node.js';
import type { EpochSamples, SampleSource } from '../train.js';
import { loadStrokeDigits, loadUsps } from './handwriting.js';
import { sliceDigitSet } from './idx.js';
import { CLASSES_WITH_REJECT, Mixture, type MixtureOptions } from './mixture.js';
import { loadMnist } from './mnist.js';
import { DEFAULT_WRITER_SPLIT, splitByWriter, splitUsps } from './writers.js';

export interface MixtureThreadConfig {
  dataFolder: string;
  handwritingFolder: string;
  mnistLimit?: number;
  writerLimit?: number;
  referenceDir?: string;
  options: MixtureOptions;
}

/** The mixture the thread builds from a config (also used in-thread by tests). */
export async function mixtureFrom(config: MixtureThreadConfig): Promise<Mixture> {
  const [split, strokes, usps] = await Promise.all([
    loadMnist(config.dataFolder),
    loadStrokeDigits(config.handwritingFolder),
    loadUsps(config.handwritingFolder),
  ]);
  const mnist = config.mnistLimit ? sliceDigitSet(split.train, 0, config.mnistLimit) : split.train;
  const limit = config.writerLimit ?? Infinity;
  const writers = splitByWriter(strokes, DEFAULT_WRITER_SPLIT);
  const uspsTrain = splitUsps(usps.count).train.slice(0, limit);
  let reference: ((inputs: Float32Array[]) => Promise<number[][]>) | undefined;
  if (config.referenceDir) {
    await useBackend('wasm');
    const classifier = new TfjsClassifier(await loadModelFromDir(config.referenceDir), nodeTfjs);
    reference = (inputs) => classifier.predict(inputs);
  }
  return new Mixture({ mnist, strokes: writers.train.slice(0, limit), usps: { set: usps, indices: uspsTrain } }, config.options, reference);
}

/** A sample source whose epochs are built one ahead on a worker thread. */
export function threadedMixture(config: MixtureThreadConfig): SampleSource & { close(): Promise<number> } {
  const worker = new Worker(new URL('./thread-boot.mjs', import.meta.url), { workerData: { entry: import.meta.url, config } });
  const pending = new Map<
    number,
    { resolve: (samples: EpochSamples) => void; reject: (error: Error) => void; promise: Promise<EpochSamples> }
  >();
  const request = (epoch: number) => {
    if (pending.has(epoch)) return pending.get(epoch)!.promise;
    let resolve!: (samples: EpochSamples) => void, reject!: (error: Error) => void;
    const promise = new Promise<EpochSamples>((res, rej) => ((resolve = res), (reject = rej)));
    pending.set(epoch, { resolve, reject, promise });
    worker.postMessage({ epoch });
    return promise;
  };
  worker.on('message', (message: { epoch: number; samples?: EpochSamples; error?: string }) => {
    const entry = pending.get(message.epoch);
    if (!entry) return;
    if (message.samples) entry.resolve(message.samples);
    else entry.reject(new Error(`building epoch ${message.epoch + 1} failed: ${message.error}`));
  });
  worker.on('error', (error) => {
    for (const entry of pending.values()) entry.reject(error);
  });
  return {
    classes: CLASSES_WITH_REJECT,
    async epoch(epoch) {
      const samples = await request(epoch);
      pending.delete(epoch);
      void request(epoch + 1).catch(() => {}); // the next one, while this one trains
      return samples;
    },
    close: () => worker.terminate(),
  };
}

// In the worker thread: build epochs on request.
if (parentPort && (workerData as { entry?: string } | undefined)?.entry === import.meta.url) {
  const port = parentPort;
  const mixture = mixtureFrom((workerData as { config: MixtureThreadConfig }).config);
  let queue = Promise.resolve();
  port.on('message', ({ epoch }: { epoch: number }) => {
    queue = queue.then(async () => {
      try {
        const samples = await (await mixture).epoch(epoch);
        port.postMessage({ epoch, samples }, [samples.inputs.buffer as ArrayBuffer, samples.labels.buffer as ArrayBuffer]);
      } catch (error) {
        port.postMessage({ epoch, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  });
}
